using A3.Runtime.IO;
using A3.Runtime.Model;
using A3.Tests;
using TorchSharp;

namespace A3.Runtime.Tests.Model;

/// <summary>Running the decoder one layer at a time, as the compression pass does, must be the model's forward exactly.</summary>
public sealed class LayerStreamingTests
{
    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Layer_by_layer_over_stories260K_reproduces_the_model_logits_bit_for_bit(bool observe)
    {
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require("hf/stories260K-llama"));
        var config = checkpoint.Config;
        using var model = checkpoint.CreateModel(torch.CPU, torch.float32);
        using var scope = torch.NewDisposeScope();
        var ids = torch.tensor(ModelRunner.Tokens(seed: 3, batch: 2, length: 40, config.VocabSize).SelectMany(row => row.Select(id => (long)id)).ToArray(), [2, 40]);

        var expected = model.Forward(ids);
        var actual = StreamedLogits(config, checkpoint.Weights, ids, observe);

        Assert.True(expected.equal(actual).all().item<bool>(), $"max |Δlogit| = {(expected - actual).abs().max().item<float>()}");
    }

    [Fact]
    public void A_layer_built_from_read_weights_is_the_loaded_layer()
    {
        foreach (var config in new[] { TestConfigs.Compressed(bias: true), TestConfigs.Full() })
        {
            var host = RandomWeights.Create(config, seed: 31);
            using var source = new DictionaryWeightSource(host);
            using var scope = torch.NewDisposeScope();
            var hidden = torch.randn([3, 6, config.HiddenSize], generator: new torch.Generator(2));
            for (var i = 0; i < config.NumLayers; i++)
            {
                using var loaded = DecoderLayer.Load(config, i, source, torch.CPU, torch.float32);
                using var weights = LayerWeightsReader.Read(config, i, source, torch.float64, torch.CPU);
                using var norms = LayerWeightsReader.ReadNorms(config, i, source, torch.float64, torch.CPU);
                using var built = DecoderLayer.FromWeights(config, config.Layers[i], weights, norms, torch.CPU, torch.float32);

                Assert.Equal(torch.float64, weights.Query.dtype);
                Assert.Equal(config.AttentionBias, weights.QueryBias is not null);
                Assert.True(loaded.Forward(hidden, 0, null).equal(built.Forward(hidden, 0, null)).all().item<bool>());
            }
        }
    }

    [Fact]
    public void A_layer_of_a_new_compressed_shape_runs_from_new_weights()
    {
        var config = TestConfigs.Full();
        var shape = TestConfigs.Shape(2, [[1, 3], [0, 2]], 6, 24);
        var compressed = TestConfigs.Make(4, 2, [shape, config.Layers[1]], bias: false, tied: true, scaling: null);
        var host = RandomWeights.Create(compressed, seed: 41);
        using var source = new DictionaryWeightSource(host);
        using var scope = torch.NewDisposeScope();
        using var weights = LayerWeightsReader.Read(compressed, 0, source, torch.float32, torch.CPU);
        using var norms = LayerWeightsReader.ReadNorms(compressed, 0, source, torch.float32, torch.CPU);
        var hidden = torch.randn([2, 5, config.HiddenSize], generator: new torch.Generator(4));

        // The original configuration describes the full model; the layer takes its shape from the argument.
        using var built = DecoderLayer.FromWeights(config, shape, weights, norms, torch.CPU, torch.float32);
        using var reference = DecoderLayer.Load(compressed, 0, source, torch.CPU, torch.float32);

        Assert.True(reference.Forward(hidden, 0, null).equal(built.Forward(hidden, 0, null)).all().item<bool>());
        Assert.Throws<ArgumentException>(() => DecoderLayer.FromWeights(config, config.Layers[0], weights, norms, torch.CPU, torch.float32));
    }

    private static torch.Tensor StreamedLogits(ModelConfig config, IWeightSource weights, torch.Tensor ids, bool observe)
    {
        using var embedding = TokenEmbedding.Load(config, weights, torch.CPU, torch.float32);
        var hidden = embedding.Forward(ids);
        for (var i = 0; i < config.NumLayers; i++)
        {
            using var layer = DecoderLayer.Load(config, i, weights, torch.CPU, torch.float32);
            using var recorder = observe ? new RecordingObserver() : null;
            hidden = layer.Forward(hidden, 0, null, recorder);
        }

        using var norms = new CheckedWeightLoader(weights, config, torch.float32, torch.CPU).Load("model.norm.weight");
        using var head = new CheckedWeightLoader(weights, config, torch.float32, torch.CPU).Load(config.TieWordEmbeddings ? "model.embed_tokens.weight" : "lm_head.weight");
        using var finalNorm = new RmsNorm(norms.clone(), config.RmsNormEps);
        return torch.nn.functional.linear(finalNorm.Forward(hidden), head).to(torch.float32);
    }
}
