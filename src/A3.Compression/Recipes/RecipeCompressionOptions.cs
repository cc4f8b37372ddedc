using A3.Compression.Caching;

namespace A3.Compression.Recipes;

/// <summary>The collaborators and overrides of one <see cref="RecipeCompressor"/> run; by default, none.</summary>
public sealed record RecipeCompressionOptions
{
    /// <summary>Gets the options of a run without caches that keeps the recipe's device.</summary>
    public static RecipeCompressionOptions Default { get; } = new();

    /// <summary>Gets the artifact cache a finished model is served from and stored in; <see langword="null"/> compresses without one.</summary>
    public ArtifactCache? ArtifactCache { get; init; }

    /// <summary>Gets the folder of the layer statistics cache, which lets a ratio change or an interrupted run skip statistics passes already paid for; <see langword="null"/> collects every layer's.</summary>
    public string? StatisticsCacheFolder { get; init; }

    /// <summary>Gets the device that overrides the recipe's (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> or <c>auto</c>); <see langword="null"/> keeps the recipe's.</summary>
    public string? Device { get; init; }
}
