using A3.Compression.Caching;
using A3.Compression.Recipes;
using A3.Recipes;
using A3.Runtime.IO;

namespace A3.Compression.Tests.Recipes;

/// <summary>
/// A recipe listing the <c>onnx</c> output format: the artifact holds the ONNX export of exactly the model it holds, in
/// its <c>onnx</c> subfolder, written in the same atomic step, listed in the manifest and served whole from the cache.
/// </summary>
public sealed class OnnxOutputTests : IDisposable
{
    private const string BothFormats = "output:\n  formats: [safetensors, onnx]";

    private readonly RecipeRun run = new();

    public void Dispose() => run.Dispose();

    [SkippableFact]
    public void The_export_lies_in_the_onnx_subfolder_and_a_cache_hit_serves_the_same_files()
    {
        var recipe = run.WriteRecipe("budget: 0.2", BothFormats);

        var first = run.Compress(recipe, "out", run.Cached);
        var second = run.Compress(recipe, "served", run.Cached);

        var onnx = Path.Combine(first.OutputFolder, ModelFiles.OnnxFolderName);
        Assert.Equal(["config.json", "model.onnx", "tokenizer.model"], Directory.GetFiles(onnx).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(ModelFolderDestination.IsA3Output(onnx));

        // The export is of the written model: its config.json states the same per-layer shapes.
        var written = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(first.OutputFolder, "config.json")))!["a3"]!["layers"]!.ToJsonString();
        var exported = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(onnx, "config.json")))!["a3"]!["layers"]!.ToJsonString();
        Assert.Equal(written, exported);

        var manifest = ArtifactManifest.TryRead(Path.Combine(first.OutputFolder, ArtifactManifest.FileName))!;
        Assert.Contains(manifest.Outputs, output => output.File == "onnx/model.onnx");
        Assert.Empty(ArtifactContents.Problems(manifest, first.OutputFolder));
        Assert.Equal(CacheOutcome.Miss, first.Cache);
        Assert.Equal(CacheOutcome.Hit, second.Cache);
        foreach (var output in manifest.Outputs)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first.OutputFolder, output.File)), File.ReadAllBytes(Path.Combine(second.OutputFolder, output.File)));
        }

        Assert.DoesNotContain(Directory.GetFileSystemEntries(run.Scratch), entry => Path.GetFileName(entry).StartsWith(".out", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Without_the_cache_the_folder_with_its_export_replaces_an_earlier_output_whole()
    {
        var plain = run.WriteRecipe("budget: 0.2");
        run.Compress(plain, "out");
        Assert.False(Directory.Exists(Path.Combine(run.Output("out"), ModelFiles.OnnxFolderName)));

        var recipe = run.WriteRecipe("budget: 0.2", BothFormats);
        var result = run.Compress(recipe, "out");

        Assert.Equal(CacheOutcome.NotUsed, result.Cache);
        Assert.True(File.Exists(Path.Combine(result.OutputFolder, ModelFiles.OnnxFolderName, "model.onnx")));
        Assert.True(File.Exists(Path.Combine(result.OutputFolder, "model.safetensors")));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(run.Scratch), entry => Path.GetFileName(entry).StartsWith(".out", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void A_cancelled_run_leaves_neither_the_model_nor_a_partial_export()
    {
        var recipe = run.WriteRecipe("budget: 0.2", BothFormats);
        using var cancel = new CancellationTokenSource();

        // Cancel once the export reports its first step: the model is written by then, so only the atomic pair can keep it out.
        Assert.ThrowsAny<OperationCanceledException>(() => run.Compress(recipe, "out", onEvent: e =>
        {
            if (e is CompressionStep { Update.Stage: var stage } && stage.Contains("onnx", StringComparison.Ordinal))
            {
                cancel.Cancel();
            }
        }, cancellationToken: cancel.Token));

        Assert.Equal([Path.GetFileName(recipe)], Directory.GetFileSystemEntries(run.Scratch).Select(Path.GetFileName).Where(name => name != "statistics"));
    }
}
