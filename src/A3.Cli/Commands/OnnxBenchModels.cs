using System.Globalization;
using A3.Compression.Budget;
using A3.Compression.Recipes;
using A3.Recipes;
using A3.Runtime.Benchmarks;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Cli.Commands;

/// <summary>
/// The three models <c>a3 bench-onnx</c> compares at one budget: the original, A3 with a uniform allocation and
/// SVD-LLM. A real model is compressed for real (a short calibration on a text file); a synthetic preset gets seeded
/// checkpoints at the compressed shapes (<see cref="CompressedShapes"/>), since weights do not change inference cost.
/// </summary>
internal static class OnnxBenchModels
{
    /// <summary>The models' names, in the table's order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["original", "a3-uniform", "svd-llm"];

    /// <summary>Compresses the real model at <paramref name="modelPath"/> as <paramref name="name"/> into <paramref name="folder"/> (the original is used in place).</summary>
    public static async Task<string> CompressAsync(string name, string modelPath, string calibrationData, double budget, string folder, CancellationToken cancellationToken)
    {
        if (name == Names[0])
        {
            return modelPath;
        }

        var method = name == Names[1] ? "a3\n  allocation: uniform" : "svd-llm";
        Directory.CreateDirectory(folder + ".recipe");
        var recipe = Path.Combine(folder + ".recipe", "bench.a3.yaml");
        await File.WriteAllTextAsync(recipe, string.Create(CultureInfo.InvariantCulture, $"""
            version: 1
            name: bench-onnx
            model: {Path.GetFullPath(modelPath)}
            calibration:
              data: {Path.GetFullPath(calibrationData)}
              samples: 16
              sequence_length: 96
            compression:
              method: {method}
              budget: {budget:R}
            device: cpu
            """), cancellationToken);
        await RecipeCompressor.CompressAsync(recipe, folder, new RecipeCompressionOptions { StatisticsCacheFolder = folder + ".statistics" }, cancellationToken: cancellationToken);
        return folder;
    }

    /// <summary>Returns the configuration of <paramref name="name"/> at the shapes its compression of <paramref name="original"/> at <paramref name="budget"/> gives.</summary>
    public static ModelConfig Shapes(string name, ModelConfig original, double budget) =>
        name == Names[0] ? original
        : name == Names[1] ? CompressedShapes.A3Uniform(original, budget)
        : CompressedShapes.LowRank(original, budget);

    /// <summary>Writes a seeded synthetic checkpoint of <paramref name="config"/> to <paramref name="folder"/>.</summary>
    public static string WriteSynthetic(ModelConfig config, string tokenizer, string folder, long seed, torch.ScalarType dtype, CancellationToken cancellationToken)
    {
        SyntheticCheckpointWriter.Write(folder, config, tokenizer, seed, dtype, cancellationToken: cancellationToken);
        return folder;
    }

    /// <summary>Returns the per-layer shapes of <paramref name="config"/> in short: distinct <c>qk/v/I</c> (with factorised ranks by projection) and how many layers have each.</summary>
    public static string Describe(ModelConfig config) =>
        string.Join(", ", config.Layers
            .Select(layer => string.Create(CultureInfo.InvariantCulture, $"{layer.QkHeadDim}/{layer.VHeadDim}/{layer.IntermediateSize}")
                + (layer.FactorizedRanks.Count == 0 ? string.Empty : " ranks " + string.Join(" ", layer.FactorizedRanks.OrderBy(rank => rank.Key, StringComparer.Ordinal).Select(rank => string.Create(CultureInfo.InvariantCulture, $"{rank.Key}={rank.Value}")))))
            .GroupBy(text => text)
            .Select(group => group.Count() == 1 ? group.Key : $"{group.Count()}× {group.Key}"));
}
