using System.Collections.Concurrent;
using A3.Compression.Recipes;
using A3.Recipes;
using A3.Tests;

namespace A3.Onnx.Tests;

/// <summary>
/// stories260K compressed in-process by the recipe entry point (16 × 96 calibration tokens), once per compression line and
/// test class, with one statistics cache so the budgets share their statistics passes.
/// </summary>
public sealed class CompressedModels : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<string>> models = new(StringComparer.Ordinal);

    /// <summary>Gets the scratch folder holding the compressed models; deleted on dispose.</summary>
    public string Scratch { get; } = Directory.CreateTempSubdirectory("a3-onnx-compressed-").FullName;

    /// <summary>Returns the folder of stories260K compressed by <paramref name="compression"/> (a recipe's compression lines), compressing it on first use.</summary>
    public string Get(string compression) =>
        models.GetOrAdd(compression, key => new Lazy<string>(() => Compress(key))).Value;

    public void Dispose() => Directory.Delete(Scratch, recursive: true);

    private string Compress(string compression)
    {
        var name = "model-" + models.Count;
        var folder = Path.Combine(Scratch, name + "-recipe");
        Directory.CreateDirectory(folder);
        var recipe = RecipeLoader.Load(SmallRecipe.Write(folder, compression)).Recipe ?? throw new InvalidOperationException("the test recipe does not parse");
        var output = Path.Combine(Scratch, name);
        RecipeCompressor.Compress(recipe, output, new RecipeCompressionOptions { StatisticsCacheFolder = Path.Combine(Scratch, "statistics") });
        return output;
    }
}
