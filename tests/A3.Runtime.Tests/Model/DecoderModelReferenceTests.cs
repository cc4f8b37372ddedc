using A3.Runtime.Model;
using TorchSharp;
using Xunit.Abstractions;

namespace A3.Runtime.Tests.Model;

public sealed class DecoderModelReferenceTests(ITestOutputHelper output)
{
    public static TheoryData<string> Configs => ["full-gqa", "full-gqa-qwen2-bias-untied", "compressed", "compressed-qwen2-bias-untied", "mha", "mqa", "mqa-compressed"];

    [Theory]
    [MemberData(nameof(Configs))]
    public void Float32_logits_match_the_float64_reference(string name)
    {
        var config = ConfigNamed(name);
        var weights = RandomWeights.Create(config, seed: 11);
        var ids = ModelRunner.Tokens(seed: 5, batch: 2, length: 9, TestConfigs.Vocab);
        var reference = new ReferenceDecoder(config, weights);

        using var model = ModelRunner.Load(config, weights);
        var actual = ModelRunner.Logits(model, ids);

        var expected = ids.Select(reference.Forward).ToArray();
        var error = ModelRunner.RelativeError(ModelRunner.Flatten(expected), ModelRunner.Flatten(actual));
        output.WriteLine($"{name}: max |Δlogit| / max |logit| = {error:E3}");
        Assert.True(error < 1e-4, $"relative error {error:E3}");
    }

    [Fact]
    public void Llama3_rope_scaling_is_applied_in_the_forward()
    {
        // original context 64, factors 1 and 4: pair 0 (wavelength 6.3) is kept, pair 1 (62.8) is smoothed, pairs 2-3 are divided by 8.
        var scaling = new RopeScaling("llama3", 8, 1, 4, 64);
        var config = TestConfigs.Full(scaling: scaling) with { RopeTheta = 10000 };
        var weights = RandomWeights.Create(config, seed: 12);
        var ids = ModelRunner.Tokens(seed: 6, batch: 1, length: 12, TestConfigs.Vocab);
        var reference = new ReferenceDecoder(config, weights, RopeFrequencyTests.MetaLlama3Frequencies(10000, TestConfigs.HeadDim, scaling));

        using var model = ModelRunner.Load(config, weights);
        var error = ModelRunner.RelativeError(ModelRunner.Flatten(ids.Select(reference.Forward).ToArray()), ModelRunner.Flatten(ModelRunner.Logits(model, ids)));

        output.WriteLine($"llama3 scaling: max |Δlogit| / max |logit| = {error:E3}");
        Assert.True(error < 1e-4, $"relative error {error:E3}");
    }

    [Fact]
    public void Attention_scale_comes_from_the_config_not_from_the_compressed_head_dim()
    {
        var config = TestConfigs.Compressed();
        var weights = RandomWeights.Create(config, seed: 13);
        var ids = ModelRunner.Tokens(seed: 7, batch: 1, length: 8, TestConfigs.Vocab);
        var derived = config with { AttentionScale = 1 / Math.Sqrt(config.Layers[0].QkHeadDim) };

        using var model = ModelRunner.Load(config, weights);
        using var wrong = ModelRunner.Load(derived, weights);
        var reference = ModelRunner.Flatten(ids.Select(new ReferenceDecoder(config, weights).Forward).ToArray()).ToArray();

        Assert.True(ModelRunner.RelativeError(reference, ModelRunner.Flatten(ModelRunner.Logits(model, ids))) < 1e-4);
        Assert.True(ModelRunner.RelativeError(reference, ModelRunner.Flatten(ModelRunner.Logits(wrong, ids))) > 1e-3);
    }

    [Fact]
    public void Bfloat16_logits_are_close_to_float32()
    {
        var config = TestConfigs.Compressed(bias: true);
        var weights = RandomWeights.Create(config, seed: 14);
        var ids = ModelRunner.Tokens(seed: 8, batch: 2, length: 10, TestConfigs.Vocab);

        using var full = ModelRunner.Load(config, weights);
        using var half = ModelRunner.Load(config, weights, torch.ScalarType.BFloat16);
        Assert.Equal(torch.ScalarType.BFloat16, half.DType);
        var error = ModelRunner.RelativeError(ModelRunner.Flatten(ModelRunner.Logits(full, ids)), ModelRunner.Flatten(ModelRunner.Logits(half, ids)));

        output.WriteLine($"bfloat16 vs float32: max |Δlogit| / max |logit| = {error:E3}");
        Assert.True(error < 5e-2, $"relative error {error:E3}");
    }

    private static ModelConfig ConfigNamed(string name) => name switch
    {
        "full-gqa" => TestConfigs.Full(),
        "full-gqa-qwen2-bias-untied" => TestConfigs.Full(bias: true, tied: false),
        "compressed" => TestConfigs.Compressed(),
        "compressed-qwen2-bias-untied" => TestConfigs.Compressed(bias: true, tied: false),
        "mha" => TestConfigs.Full(heads: 4, keyValueHeads: 4),
        "mqa" => TestConfigs.Full(heads: 4, keyValueHeads: 1),
        "mqa-compressed" => TestConfigs.Make(
            4, 1, [TestConfigs.Shape(1, [[1, 3]], 3, 20), TestConfigs.Shape(1, [[0, 2, 3]], 7, 33)], bias: true, tied: true, scaling: null),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
