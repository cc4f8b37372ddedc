using A3.Evaluation;
using A3.Generation;
using A3.Onnx;
using A3.Onnx.Tests;
using A3.Runtime.Evaluation;
using A3.Runtime.Generation;
using A3.Runtime.Model;
using A3.Tests;
using TorchSharp;
using Xunit.Abstractions;

namespace A3.OnnxRuntime.Tests;

/// <summary>
/// Issue 13's acceptance on stories260K, original and compressed in-process (A3 at 0.1/0.2/0.3, SVD-LLM at 0.2): A3.OnnxRuntime
/// scores the <c>documents</c> perplexity of stories 500–599 as <c>a3 eval</c> does (A3.Runtime's <see cref="ModelEvaluation.Run"/>)
/// to 4 decimals, and its greedy generation with the KV cache gives A3.Runtime's text and the tokens of a full recompute.
/// </summary>
public sealed class RuntimeAgreementTests(CompressedModels models, ITestOutputHelper output) : IClassFixture<CompressedModels>, IDisposable
{
    private const string Original = "original";
    private const string Prompt = "Once upon a time";
    private const int NewTokens = 40;
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-onnx-agreement-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableTheory]
    [InlineData(Original)]
    [InlineData("budget: 0.1")]
    [InlineData("budget: 0.2")]
    [InlineData("budget: 0.3")]
    [InlineData("method: svd-llm\n  budget: 0.2")]
    public void Perplexity_and_greedy_generation_equal_the_runtime(string compression)
    {
        var source = Fixtures.Require("hf/stories260K-llama");
        var data = Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt");
        var modelPath = compression == Original ? source : models.Get(compression);
        var exported = OnnxExporter.Export(modelPath, Path.Combine(scratch, "onnx")).OutputFolder;
        var options = new EvaluationOptions { Protocol = EvaluationProtocol.Documents, SkipDocuments = 500, MaxDocuments = 100 };

        PerplexityResult expected;
        GenerationResult runtimeText;
        using (var checkpoint = ModelCheckpoint.Open(modelPath))
        using (var decoder = checkpoint.CreateModel(torch.CPU, torch.float32))
        {
            expected = ModelEvaluation.Run(decoder, checkpoint.Tokenizer, data, options);
            runtimeText = TextGenerator.Generate(decoder, checkpoint.Tokenizer, Prompt, NewTokens, new TokenSampler(0, seed: 0));
        }

        using var model = OnnxDecoderModel.Load(exported);
        var actual = model.EvaluatePerplexity(data, options);
        var onnxText = model.Generate(Prompt, NewTokens, new TokenSampler(0, seed: 0));
        output.WriteLine($"{compression.Replace('\n', ' ')}: perplexity A3.Runtime {expected.Perplexity:F6}, ONNX Runtime {actual.Perplexity:F6} over {actual.Tokens} tokens; completion \"{onnxText.Completion}\"");

        Assert.Equal(expected.Tokens, actual.Tokens);
        Assert.Equal(expected.Sequences, actual.Sequences);
        Assert.True(Math.Abs(expected.Perplexity - actual.Perplexity) < 5e-5, $"perplexity {actual.Perplexity} differs from a3 eval's {expected.Perplexity}");
        Assert.Equal(runtimeText.GeneratedTokens, onnxText.GeneratedTokens);
        Assert.Equal(runtimeText.Completion, onnxText.Completion);

        var promptIds = new[] { model.Tokenizer.BosId ?? 1 }.Concat(model.Tokenizer.Encode(Prompt)).ToArray();
        using var session = DecoderSession.Open(Path.Combine(exported, OnnxExporter.ModelFileName), new OnnxModelOptions());
        Assert.Equal(Greedy(session, promptIds, recompute: true), Greedy(session, promptIds, recompute: false));
    }

    /// <summary>Greedy tokens after <paramref name="promptIds"/>: each step either runs the whole sequence again or feeds one token to the KV cache.</summary>
    private static List<int> Greedy(DecoderSession session, int[] promptIds, bool recompute)
    {
        var sampler = new TokenSampler(0, seed: 0);
        var ids = new List<int>(promptIds);
        using var cache = OnnxKvCache.Empty(session.Contract.Layers);
        IReadOnlyList<int> next = promptIds;
        for (var step = 0; step < NewTokens; step++)
        {
            int token;
            if (recompute)
            {
                using var fresh = OnnxKvCache.Empty(session.Contract.Layers);
                using var outputs = session.Run(ids, fresh);
                token = sampler.Sample(LogitRows.Row(outputs[0], ids.Count - 1));
            }
            else
            {
                var outputs = session.Run(next, cache);
                cache.Advance(outputs, next.Count);
                token = sampler.Sample(LogitRows.Row(outputs[0], next.Count - 1));
            }

            ids.Add(token);
            next = [token];
        }

        return ids[promptIds.Length..];
    }
}
