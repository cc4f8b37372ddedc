using A3.Recipes;
using A3.Runtime.Benchmarks;
using TorchSharp;

namespace A3.Compression.Benchmarks;

/// <summary>What a compression benchmark compresses with and how it compares the results.</summary>
public sealed record CompressionBenchmarkOptions
{
    /// <summary>Gets the fraction of decoder linear parameters every method removes.</summary>
    public double Budget { get; init; } = 0.2;

    /// <summary>Gets the methods compressed at <see cref="Budget"/>, in order: A3 with a uniform allocation (every layer alike, sequential calibration), and the baselines.</summary>
    public IReadOnlyList<RecipeMethod> Methods { get; init; } = [RecipeMethod.A3, RecipeMethod.SvdLlm];

    /// <summary>Gets the calibration windows (seeded token ids: the cost does not depend on the text).</summary>
    public int Windows { get; init; } = 16;

    /// <summary>Gets the tokens per calibration window.</summary>
    public int SequenceLength { get; init; } = 256;

    /// <summary>Gets the seed of the calibration token ids.</summary>
    public long Seed { get; init; }

    /// <summary>Gets the device the compression and the inference run on; <see langword="null"/> for the CPU.</summary>
    public torch.Device? Device { get; init; }

    /// <summary>Gets how the original and compressed models are run; <see langword="null"/> skips the inference comparison.</summary>
    public InferenceOptions? Inference { get; init; } = new();

    /// <summary>Gets how many times each model is loaded and measured, models taking turns; each figure is the fastest of its rounds.</summary>
    public int InferenceRounds { get; init; } = 2;
}
