using A3.Runtime.Model;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Runtime.Tests.Model;

public sealed class DecoderModelLoadTests
{
    [Theory]
    [InlineData("model.layers.1.self_attn.k_proj.weight", new long[] { 16, 32 }, "[12, 32]")]
    [InlineData("model.layers.0.mlp.down_proj.weight", new long[] { 32, 48 }, "[32, 40]")]
    [InlineData("model.layers.0.self_attn.o_proj.weight", new long[] { 32, 32 }, "[32, 24]")]
    public void A_tensor_with_the_wrong_shape_is_rejected_naming_it(string name, long[] wrongShape, string expectedShape)
    {
        var config = TestConfigs.Compressed();
        var weights = RandomWeights.Create(config, seed: 41);
        weights[name] = (wrongShape, new float[wrongShape[0] * wrongShape[1]]);

        var error = Assert.Throws<A3InputException>(() => ModelRunner.Load(config, weights).Dispose());

        Assert.Equal(A3ErrorCodes.InvalidModelConfig, error.Code);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Contains(expectedShape, error.Message, StringComparison.Ordinal);
        Assert.Contains("[" + string.Join(", ", wrongShape) + "]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_bias_or_head_is_rejected_naming_it()
    {
        var config = TestConfigs.Full(bias: true, tied: false);
        var weights = RandomWeights.Create(config, seed: 42);
        weights.Remove("model.layers.1.self_attn.v_proj.bias");
        var error = Assert.Throws<A3InputException>(() => ModelRunner.Load(config, weights).Dispose());
        Assert.Contains("model.layers.1.self_attn.v_proj.bias", error.Message, StringComparison.Ordinal);

        weights = RandomWeights.Create(config, seed: 42);
        weights.Remove("lm_head.weight");
        error = Assert.Throws<A3InputException>(() => ModelRunner.Load(config, weights).Dispose());
        Assert.Contains("lm_head.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inconsistent_pair_lists_are_rejected_before_reading_weights()
    {
        var config = TestConfigs.Compressed();
        var weights = RandomWeights.Create(config, seed: 43);
        var broken = config with { Layers = [config.Layers[0], config.Layers[1] with { RopePairs = [[0, 1, 3], [0, 2, 4]] }] };
        var error = Assert.Throws<A3InputException>(() => ModelRunner.Load(broken, weights).Dispose());
        Assert.Equal(A3ErrorCodes.InvalidModelConfig, error.Code);
        Assert.Contains("layer 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_token_ids_are_rejected()
    {
        TorchNative.EnsureLoaded();
        var config = TestConfigs.Full();
        using var model = ModelRunner.Load(config, RandomWeights.Create(config, seed: 44));
        using var input = torch.tensor(new long[] { 1, TestConfigs.Vocab }, [1, 2], torch.int64);
        Assert.Throws<ArgumentException>(() => model.Forward(input).Dispose());
    }
}
