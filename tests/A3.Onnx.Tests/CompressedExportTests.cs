using A3.Runtime.Model;
using A3.Tests;
using Xunit.Abstractions;

namespace A3.Onnx.Tests;

/// <summary>Compressed stories260K models (A3 at three budgets, SVD-LLM) exported and run by ONNX Runtime against the A3 runtime.</summary>
public sealed class CompressedExportTests(CompressedModels models, ITestOutputHelper output) : IClassFixture<CompressedModels>, IDisposable
{
    private const double Tolerance = 1e-4;
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-onnx-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableTheory]
    [InlineData("budget: 0.1")]
    [InlineData("budget: 0.2")]
    [InlineData("budget: 0.3")]
    [InlineData("method: svd-llm\n  budget: 0.2")]
    public void Logits_and_cached_decoding_equal_the_runtime(string compression)
    {
        Fixtures.Require("hf/stories260K-llama");
        var model = models.Get(compression);
        ModelConfig config;
        using (var checkpoint = ModelCheckpoint.Open(model))
        {
            config = checkpoint.Config;
        }

        Assert.True(config.IsCompressed, "the recipe should have compressed the model");
        var result = OnnxExporter.Export(model, Path.Combine(scratch, "onnx"));
        var ids = RuntimeReference.StoryTokens(model, 32);
        var expected = RuntimeReference.Logits(model, ids, 1);

        using var full = new OnnxRun(result.ModelFile, config);
        var difference = RuntimeReference.MaxAbsDifference(expected, full.Step(ids, 1));

        using var stepped = new OnnxRun(result.ModelFile, config);
        var logits = new List<float>(stepped.Step(ids[..8], 1));
        for (var t = 8; t < ids.Length; t++)
        {
            logits.AddRange(stepped.Step([ids[t]], 1));
        }

        var decodeDifference = RuntimeReference.MaxAbsDifference(expected, logits);
        output.WriteLine($"{compression.Replace('\n', ' ')}: layers qk/v/I {string.Join(" ", config.Layers.Select(l => $"{l.QkHeadDim}/{l.VHeadDim}/{l.IntermediateSize}{(l.FactorizedRanks.Count > 0 ? "f" : string.Empty)}"))}; max abs difference full {difference:E2}, decoded {decodeDifference:E2}");
        Assert.True(difference <= Tolerance, $"max abs difference {difference}");
        Assert.True(decodeDifference <= Tolerance, $"max abs difference when decoding {decodeDifference}");
        if (compression.Contains("svd", StringComparison.Ordinal))
        {
            Assert.Contains(config.Layers, layer => layer.FactorizedRanks.Count > 0);
        }
    }
}
