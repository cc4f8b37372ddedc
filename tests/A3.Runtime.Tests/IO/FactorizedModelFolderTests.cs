using A3.Runtime.IO;
using A3.Runtime.Model;
using A3.Runtime.Native;
using A3.Tests;
using TorchSharp;

namespace A3.Runtime.Tests.IO;

/// <summary>
/// Factorises two projections of the stories260K fixture by truncated SVD, writes the folder with
/// <see cref="ModelFolderWriter"/> and reopens it through <see cref="ModelCheckpoint.Open"/>.
/// </summary>
public sealed class FactorizedModelFolderTests
{
    private const string HfFixture = Stories260KVariants.HfFixture;
    private const int Rank = Stories260KVariants.FactorRank;

    public FactorizedModelFolderTests()
    {
        TorchNative.EnsureLoaded();
    }

    [SkippableFact]
    public void Svd_factorised_layer_round_trips_with_the_logits_of_the_dense_product()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var (config, factorized, dense, original) = FactorizeLayer2();
        var output = temp.File("factorized");

        ModelFolderWriter.Write(output, config, factorized, Fixtures.Require(HfFixture));

        using var reloaded = ModelCheckpoint.Open(output);
        Assert.Equal(config.Layers, reloaded.Config.Layers);
        Assert.Equal(new Dictionary<string, int> { ["down_proj"] = Rank, ["q_proj"] = Rank }, reloaded.Config.Layers[2].FactorizedRanks);
        Assert.True(reloaded.Config.IsCompressed);
        Assert.Equal([Rank, 64], reloaded.Weights.Describe("model.layers.2.self_attn.q_proj.weight_a").Shape);
        Assert.Equal([64, Rank], reloaded.Weights.Describe("model.layers.2.mlp.down_proj.weight_b").Shape);
        Assert.False(reloaded.Weights.Contains("model.layers.2.self_attn.q_proj.weight"));
        Assert.Contains("\"factorized\"", File.ReadAllText(Path.Combine(output, "config.json")), StringComparison.Ordinal);

        var expected = Logits(config with { Layers = DenseLayers(config) }, dense);
        using var model = reloaded.CreateModel(torch.CPU, torch.float32);
        var actual = model.Forward(Tokens());
        Assert.True(MaxAbsDiff(expected, actual) <= 1e-5, $"max |Δlogit| = {MaxAbsDiff(expected, actual)}");

        // Rank 16 of 64 is lossy, so the comparison above is against B·A, not the original weights.
        Assert.True(MaxAbsDiff(Logits(config with { Layers = DenseLayers(config) }, original), actual) > 1e-4);
    }

    [SkippableFact]
    public void The_writer_rejects_a_factor_of_the_wrong_rank_and_a_leftover_dense_weight()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var (config, factorized, _, _) = FactorizeLayer2();

        var wrongRank = new Dictionary<string, torch.Tensor>(factorized, StringComparer.Ordinal)
        {
            ["model.layers.2.self_attn.q_proj.weight_a"] = torch.zeros(Rank + 1, 64),
        };
        var error = Assert.Throws<A3InputException>(() => ModelFolderWriter.Write(temp.File("a"), config, wrongRank, Fixtures.Require(HfFixture)));
        Assert.Contains("model.layers.2.self_attn.q_proj.weight_a", error.Message, StringComparison.Ordinal);
        Assert.Contains($"[{Rank}, 64]", error.Message, StringComparison.Ordinal);

        var leftover = new Dictionary<string, torch.Tensor>(factorized, StringComparer.Ordinal)
        {
            ["model.layers.2.self_attn.q_proj.weight"] = torch.zeros(64, 64),
        };
        error = Assert.Throws<A3InputException>(() => ModelFolderWriter.Write(temp.File("b"), config, leftover, Fixtures.Require(HfFixture)));
        Assert.Contains("model.layers.2.self_attn.q_proj.weight", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("a")) || Directory.Exists(temp.File("b")));
    }

    private static (ModelConfig Config, Dictionary<string, torch.Tensor> Factorized, Dictionary<string, torch.Tensor> Dense, Dictionary<string, torch.Tensor> Original) FactorizeLayer2() =>
        Stories260KVariants.FactorizeLayer2();

    private static IReadOnlyList<LayerShape> DenseLayers(ModelConfig config) =>
        config.Layers.Select(layer => layer with { FactorizedRanks = new Dictionary<string, int>() }).ToArray();

    private static torch.Tensor Tokens()
    {
        var ids = Enumerable.Range(0, 40).Select(i => (long)(((i * 37) + 1) % 512)).ToArray();
        return torch.tensor(ids, [1, ids.Length]);
    }

    private static torch.Tensor Logits(ModelConfig config, IReadOnlyDictionary<string, torch.Tensor> tensors)
    {
        using var weights = new InMemoryWeightSource(tensors.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.clone())));
        using var model = DecoderModel.Load(config, weights, torch.CPU, torch.float32);
        return model.Forward(Tokens());
    }

    private static float MaxAbsDiff(torch.Tensor a, torch.Tensor b) => (a - b).abs().max().item<float>();
}
