using System.Text.Json;
using A3.Evaluation;
using A3.Generation;
using A3.Tests;

namespace A3.OnnxRuntime.Tests;

/// <summary>stories260K exported to ONNX in this run, run against the fixture's float64 reference (skipped without the fixture model).</summary>
[Collection(ExportedStoriesCollection.Name)]
public sealed class ExportedModelTests(ExportedStories exported)
{
    [SkippableFact]
    public void Loads_the_graph_with_its_layers_and_config()
    {
        using var model = OnnxDecoderModel.Load(exported.Require());

        Assert.Equal(5, model.LayerCount);
        Assert.Equal(512, model.VocabSize);
        Assert.Equal(512, model.ContextLength);
        Assert.Contains(2, model.EndOfSequenceIds);
    }

    [SkippableFact]
    public void Prefill_logits_match_the_reference_forward()
    {
        var folder = exported.Require();
        var reference = Reference();
        var ids = reference.RootElement.GetProperty("stories")[0].GetProperty("ids").EnumerateArray().Take(32).Select(id => id.GetInt32()).ToArray();
        var expected = ReferenceLogits();
        using var model = OnnxDecoderModel.Load(folder);
        using var session = DecoderSession.Open(Path.Combine(folder, "model.onnx"), new OnnxModelOptions());
        using var cache = OnnxKvCache.Empty(session.Contract.Layers);

        using var outputs = session.Run(ids, cache);

        for (int t = 0; t < ids.Length; t++)
        {
            var row = LogitRows.Row(outputs[0], t);
            for (int v = 0; v < 512; v++)
            {
                Assert.Equal(expected[(t * 512) + v], row[v], 1e-3f);
            }
        }
    }

    [SkippableFact]
    public void Cached_steps_give_the_logits_of_a_full_forward()
    {
        var folder = exported.Require();
        int[] ids = [1, 301, 427, 309, 426, 301, 427, 309];
        using var session = DecoderSession.Open(Path.Combine(folder, "model.onnx"), new OnnxModelOptions());
        using var full = OnnxKvCache.Empty(session.Contract.Layers);
        using var whole = session.Run(ids, full);
        using var cache = OnnxKvCache.Empty(session.Contract.Layers);

        // The prompt's first half at once, then one token per step, each step fed the previous step's presents.
        cache.Advance(session.Run(ids[..4], cache), 4);
        for (int t = 4; t < ids.Length; t++)
        {
            var outputs = session.Run([ids[t]], cache);
            cache.Advance(outputs, 1);
            var expected = LogitRows.Row(whole[0], t).ToArray();
            var actual = LogitRows.Row(outputs[0], 0).ToArray();
            for (int v = 0; v < expected.Length; v++)
            {
                Assert.Equal(expected[v], actual[v], 1e-4f);
            }
        }

        Assert.Equal(ids.Length, cache.Length);
    }

    [SkippableFact]
    public void Greedy_generation_tells_the_reference_story()
    {
        using var model = OnnxDecoderModel.Load(exported.Require());

        var result = model.Generate(string.Empty, 20, new TokenSampler(0, seed: 0));

        Assert.StartsWith("Once upon a time, there was a little girl named Lily.", result.Completion.TrimStart());
        Assert.Equal(20, result.GeneratedTokens);
    }

    [SkippableFact]
    public void The_same_seed_samples_the_same_text()
    {
        using var model = OnnxDecoderModel.Load(exported.Require());

        var first = model.Generate("Once upon a time", 30, new TokenSampler(0.8, seed: 7, topP: 0.9));
        var second = model.Generate("Once upon a time", 30, new TokenSampler(0.8, seed: 7, topP: 0.9));

        Assert.Equal(first.Completion, second.Completion);
    }

    [SkippableFact]
    public void Documents_perplexity_matches_the_reference_on_100_stories()
    {
        var data = Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt");
        var expected = Reference().RootElement.GetProperty("first100");
        using var model = OnnxDecoderModel.Load(exported.Require());

        var result = model.EvaluatePerplexity(data, new EvaluationOptions { Protocol = EvaluationProtocol.Documents, SkipDocuments = 0, MaxDocuments = 100 });

        Assert.Equal(expected.GetProperty("n_predicted_tokens").GetInt64(), result.Tokens);
        Assert.Equal(expected.GetProperty("mean_nll").GetDouble(), result.MeanNll, 1e-4);
    }

    [SkippableFact]
    public void Windows_perplexity_is_the_one_a3_eval_measures()
    {
        var data = Fixtures.Require("text/wikitext-2-raw/wiki.test.raw");
        using var model = OnnxDecoderModel.Load(exported.Require());

        var result = model.EvaluatePerplexity(data, new EvaluationOptions { Protocol = EvaluationProtocol.Windows, MaxWindows = 20 });

        // a3 eval --model hf/stories260K-llama --protocol windows --max-windows 20 (A3.Runtime, float32): 103.8787 over 10,220 tokens.
        Assert.Equal(20, result.Sequences);
        Assert.Equal(20 * 511, result.Tokens);
        Assert.Equal(103.8787, result.Perplexity, 1e-3);
    }

    [SkippableFact]
    public void Shorter_windows_score_every_token_after_the_first()
    {
        var data = Fixtures.Require("text/wikitext-2-raw/wiki.test.raw");
        using var model = OnnxDecoderModel.Load(exported.Require());

        var result = model.EvaluatePerplexity(data, new EvaluationOptions { Protocol = EvaluationProtocol.Windows, SequenceLength = 128, MaxWindows = 4 });

        Assert.Equal(4, result.Sequences);
        Assert.Equal(4 * 127, result.Tokens);
    }

    [SkippableFact]
    public void A_prompt_longer_than_the_context_is_A3003()
    {
        using var model = OnnxDecoderModel.Load(exported.Require());

        var error = Assert.Throws<InvalidSettingException>(() => model.Generate(string.Concat(Enumerable.Repeat("word ", 600)), 1, new TokenSampler(0, 0)));
        Assert.Equal("prompt", error.Setting);
    }

    [SkippableFact]
    public void A_disposed_model_refuses_to_run()
    {
        var model = OnnxDecoderModel.Load(exported.Require());
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => model.Generate("x", 1, new TokenSampler(0, 0)));
    }

    private static JsonDocument Reference() =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.Require("reference/stories260K_tinystories_reference.json")));

    private static float[] ReferenceLogits()
    {
        var bytes = File.ReadAllBytes(Fixtures.Require("reference/stories260K_story0_first32_logits.f32"));
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
