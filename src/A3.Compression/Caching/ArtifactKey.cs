using System.Text;
using A3.Recipes;

namespace A3.Compression.Caching;

/// <summary>The content address of a recipe's artifact: what went in, and the SHA-256 over it.</summary>
internal sealed class ArtifactKey
{
    private ArtifactKey(string value, IReadOnlyList<ArtifactInput> inputs, ArtifactVersions versions)
    {
        Value = value;
        Inputs = inputs;
        Versions = versions;
    }

    /// <summary>Gets the key (lower-hex SHA-256).</summary>
    public string Value { get; }

    /// <summary>Gets the hashed inputs, recipe first, in key order.</summary>
    public IReadOnlyList<ArtifactInput> Inputs { get; }

    /// <summary>Gets the tool versions and device type that entered the key.</summary>
    public ArtifactVersions Versions { get; }

    /// <summary>Gets the SHA-256 over the model files' roles and hashes: what the statistics cache keys a model by.</summary>
    public string ModelIdentity => FileHashing.Sha256Text(string.Concat(
        Inputs.Where(input => input.Role.StartsWith(RecipeInput.ModelRolePrefix, StringComparison.Ordinal)).Select(input => $"{input.Role}\t{input.Sha256}\n")));

    /// <summary>Computes the key of <paramref name="recipe"/> on a device of type <paramref name="deviceType"/> (<c>cpu</c> or <c>cuda</c>).</summary>
    public static ArtifactKey Compute(Recipe recipe, string deviceType)
    {
        // The same inputs, by the same rule, as the build's up-to-date check watches (Recipe.GetInputs).
        var inputs = recipe.GetInputs()
            .Select(input => input.Role == RecipeInput.RecipeRole
                // The canonical form drops comments, key order and path spellings, so only values change the key.
                // The manifest has always recorded the recipe's folder as where it was read.
                ? new ArtifactInput(input.Role, recipe.BaseDirectory, FileHashing.Sha256Text(RecipeNormalizer.Canonicalize(recipe)))
                : new ArtifactInput(input.Role, input.Path, FileHashing.Sha256File(input.Path)))
            .ToList();

        var versions = ArtifactVersions.Current(deviceType);
        var text = new StringBuilder("a3-artifact-key/1\n");
        foreach (var input in inputs)
        {
            text.Append(input.Role).Append('\t').Append(input.Sha256).Append('\n');
        }

        text.Append("tool\t").Append(versions.Tool).Append('\n')
            .Append("torchsharp\t").Append(versions.TorchSharp).Append('\n')
            .Append("libtorch\t").Append(versions.LibTorch).Append('\n')
            .Append("device\t").Append(versions.Device).Append('\n');
        return new ArtifactKey(FileHashing.Sha256Text(text.ToString()), inputs, versions);
    }
}
