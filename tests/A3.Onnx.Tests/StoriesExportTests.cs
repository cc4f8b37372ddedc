using A3.Runtime.Model;
using A3.Tests;
using Xunit.Abstractions;

namespace A3.Onnx.Tests;

/// <summary>The stories260K fixture exported and run by ONNX Runtime: logits, the key/value cache and padding against the A3 runtime.</summary>
public sealed class StoriesExportTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 1e-4;
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-onnx-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableTheory]
    [InlineData("hf/stories260K-llama")]
    [InlineData("llama2c/stories260K/stories260K.bin")]
    public void Logits_of_32_tokens_equal_the_runtime(string fixture)
    {
        var model = Fixtures.Require(fixture);
        var folder = Path.Combine(scratch, "onnx");

        var result = OnnxExporter.Export(model, folder);

        var ids = RuntimeReference.StoryTokens(model, 32);
        using var run = new OnnxRun(result.ModelFile, Config(model));
        var difference = RuntimeReference.MaxAbsDifference(RuntimeReference.Logits(model, ids, 1), run.Step(ids, 1));
        output.WriteLine($"{fixture}: max abs difference {difference:E2}");
        Assert.True(difference <= Tolerance, $"max abs difference {difference}");
        Assert.Null(result.ExternalDataFile);
        Assert.True(File.Exists(Path.Combine(folder, "config.json")));
        Assert.True(File.Exists(Path.Combine(folder, "tokenizer.model")));
    }

    [SkippableFact]
    public void Decoding_token_by_token_through_the_cache_equals_the_full_sequence()
    {
        var model = Fixtures.Require("hf/stories260K-llama");
        var result = OnnxExporter.Export(model, Path.Combine(scratch, "onnx"));
        var ids = RuntimeReference.StoryTokens(model, 32);
        var config = Config(model);
        using var full = new OnnxRun(result.ModelFile, config);
        var expected = full.Step(ids, 1);

        using var run = new OnnxRun(result.ModelFile, config);
        var stepped = new List<float>(run.Step(ids[..16], 1));
        for (var t = 16; t < ids.Length; t++)
        {
            stepped.AddRange(run.Step([ids[t]], 1));
        }

        var difference = RuntimeReference.MaxAbsDifference(expected, stepped);
        Assert.True(difference <= Tolerance, $"max abs difference {difference}");
        Assert.Equal(32, run.Cache![0].Key.Dimensions[2]);
        var runtimeDifference = RuntimeReference.MaxAbsDifference(RuntimeReference.Logits(model, ids, 1), stepped);
        output.WriteLine($"decoded 16 + 16 one at a time: max abs difference to the full graph run {difference:E2}, to the runtime {runtimeDifference:E2}");
        Assert.True(runtimeDifference <= Tolerance, $"max abs difference to the runtime {runtimeDifference}");
    }

    [SkippableFact]
    public void A_left_padded_row_equals_the_same_tokens_unpadded()
    {
        var model = Fixtures.Require("hf/stories260K-llama");
        var result = OnnxExporter.Export(model, Path.Combine(scratch, "onnx"));
        var config = Config(model);
        const int Length = 32;
        const int Padding = 7;
        var first = RuntimeReference.StoryTokens(model, Length);
        var second = RuntimeReference.StoryTokens(model, Length - Padding, skipCharacters: 3000);

        // Hugging Face's convention for left padding: masked positions, position ids counting from the first real token.
        var ids = first.Concat(Enumerable.Repeat(0L, Padding)).Concat(second).ToArray();
        var mask = Enumerable.Repeat(1L, Length).Concat(Enumerable.Repeat(0L, Padding)).Concat(Enumerable.Repeat(1L, Length - Padding)).ToArray();
        var positions = Enumerable.Range(0, Length).Select(p => (long)p)
            .Concat(Enumerable.Repeat(1L, Padding))
            .Concat(Enumerable.Range(0, Length - Padding).Select(p => (long)p)).ToArray();
        using var run = new OnnxRun(result.ModelFile, config);
        var logits = run.Step(ids, 2, mask, positions);

        var vocab = config.VocabSize;
        var firstRow = logits[..(Length * vocab)];
        var secondRow = logits[((Length + Padding) * vocab)..];
        var firstDifference = RuntimeReference.MaxAbsDifference(RuntimeReference.Logits(model, first, 1), firstRow);
        var paddedDifference = RuntimeReference.MaxAbsDifference(RuntimeReference.Logits(model, second, 1), secondRow);
        output.WriteLine($"batch of 2, second row left-padded by {Padding}: max abs difference {firstDifference:E2} and {paddedDifference:E2}");
        Assert.True(firstDifference <= Tolerance);
        Assert.True(paddedDifference <= Tolerance);
        Assert.DoesNotContain(logits, float.IsNaN);

        // Decoding on after the padded prefill keeps the padded row equal to its unpadded run.
        var next = run.Step([first[5], second[5]], 2, Enumerable.Repeat(1L, Length).Concat([1L]).Concat(mask[Length..]).Concat([1L]).ToArray(), [Length, Length - Padding]);
        using var unpadded = new OnnxRun(result.ModelFile, config);
        unpadded.Step(second, 1);
        Assert.True(RuntimeReference.MaxAbsDifference(unpadded.Step([second[5]], 1), next[vocab..]) <= Tolerance);
    }

    private static ModelConfig Config(string model)
    {
        using var checkpoint = ModelCheckpoint.Open(model);
        return checkpoint.Config;
    }
}
