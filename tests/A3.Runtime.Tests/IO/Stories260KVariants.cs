using A3.Runtime.Model;
using A3.Tests;
using TorchSharp;

namespace A3.Runtime.Tests.IO;

/// <summary>
/// Compressed and factorised variants of the stories260K fixture built in memory, shared by the
/// tests that write them with <see cref="A3.Runtime.IO.ModelFolderWriter"/>. Tensors are float32 CPU
/// tensors in the caller's dispose scope.
/// </summary>
internal static class Stories260KVariants
{
    public const string HfFixture = "hf/stories260K-llama";
    public const int HeadDim = 8;
    public const int KeptValueDims = 6;
    public const int KeptNeurons = 150;
    public const int FactorRank = 16;

    /// <summary>Layer 1 keeps pairs {0,2,3} for KV head 0 and {1,2,3} for KV heads 1..3.</summary>
    public static readonly int[][] KeptPairs = [[0, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]];

    /// <summary>The fixture's config and all its tensors.</summary>
    public static (ModelConfig Config, Dictionary<string, torch.Tensor> Tensors) Fixture()
    {
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require(HfFixture));
        return (checkpoint.Config, Load(checkpoint));
    }

    public static Dictionary<string, torch.Tensor> Load(ModelCheckpoint checkpoint) =>
        checkpoint.Weights.Names.ToDictionary(name => name, name => checkpoint.Weights.Load(name, torch.float32, torch.CPU), StringComparer.Ordinal);

    /// <summary>
    /// Slices layer 1 of the fixture: kept pair <c>p</c> of a head moves from dims <c>p</c>, <c>p+4</c> to
    /// <c>m</c>, <c>m+3</c>; optionally value dims 0..5 per head and neurons 0..149 are kept.
    /// </summary>
    public static (ModelConfig Config, Dictionary<string, torch.Tensor> Tensors) Compressed(bool sliceValuesAndNeurons)
    {
        var (full, tensors) = Fixture();
        const string prefix = "model.layers.1.";
        long[] QkRows(int head, int kvHead) =>
            [.. KeptPairs[kvHead].Select(p => (long)(head * HeadDim) + p), .. KeptPairs[kvHead].Select(p => (long)(head * HeadDim) + p + (HeadDim / 2))];
        var queryRows = Enumerable.Range(0, 8).SelectMany(head => QkRows(head, head / 2)).ToArray();
        var keyRows = Enumerable.Range(0, 4).SelectMany(head => QkRows(head, head)).ToArray();
        tensors[prefix + "self_attn.q_proj.weight"] = tensors[prefix + "self_attn.q_proj.weight"].index_select(0, torch.tensor(queryRows));
        tensors[prefix + "self_attn.k_proj.weight"] = tensors[prefix + "self_attn.k_proj.weight"].index_select(0, torch.tensor(keyRows));
        var valueDims = HeadDim;
        var neurons = full.IntermediateSize;
        if (sliceValuesAndNeurons)
        {
            valueDims = KeptValueDims;
            neurons = KeptNeurons;
            long[] ValueIndices(int heads) => [.. Enumerable.Range(0, heads).SelectMany(head => Enumerable.Range(head * HeadDim, KeptValueDims).Select(i => (long)i))];
            tensors[prefix + "self_attn.v_proj.weight"] = tensors[prefix + "self_attn.v_proj.weight"].index_select(0, torch.tensor(ValueIndices(4)));
            tensors[prefix + "self_attn.o_proj.weight"] = tensors[prefix + "self_attn.o_proj.weight"].index_select(1, torch.tensor(ValueIndices(8)));
            tensors[prefix + "mlp.gate_proj.weight"] = tensors[prefix + "mlp.gate_proj.weight"].narrow(0, 0, KeptNeurons);
            tensors[prefix + "mlp.up_proj.weight"] = tensors[prefix + "mlp.up_proj.weight"].narrow(0, 0, KeptNeurons);
            tensors[prefix + "mlp.down_proj.weight"] = tensors[prefix + "mlp.down_proj.weight"].narrow(1, 0, KeptNeurons);
        }

        var layers = full.Layers.ToArray();
        layers[1] = new LayerShape(KeptPairs[0].Length * 2, valueDims, neurons, KeptPairs);
        return (full with { Layers = layers }, tensors);
    }

    /// <summary>
    /// Returns the fixture with layer 2's q_proj and down_proj replaced by rank-16 SVD factors
    /// (A = diag(S)·Vᵀ, B = U), the same tensors with dense <c>W = B·A</c> in their place, and the fixture's own tensors.
    /// </summary>
    public static (ModelConfig Config, Dictionary<string, torch.Tensor> Factorized, Dictionary<string, torch.Tensor> Dense, Dictionary<string, torch.Tensor> Original) FactorizeLayer2()
    {
        var (config, tensors) = Fixture();
        var factorized = new Dictionary<string, torch.Tensor>(tensors, StringComparer.Ordinal);
        var dense = new Dictionary<string, torch.Tensor>(tensors, StringComparer.Ordinal);
        foreach (var stem in new[] { "model.layers.2.self_attn.q_proj", "model.layers.2.mlp.down_proj" })
        {
            var weight = tensors[stem + ".weight"];
            var (u, s, vh) = torch.linalg.svd(weight.to(torch.float64), fullMatrices: false);
            var a = (s.narrow(0, 0, FactorRank).unsqueeze(1) * vh.narrow(0, 0, FactorRank)).to(torch.float32);
            var b = u.narrow(1, 0, FactorRank).contiguous().to(torch.float32);
            factorized.Remove(stem + ".weight");
            factorized[stem + ".weight_a"] = a;
            factorized[stem + ".weight_b"] = b;
            dense[stem + ".weight"] = torch.matmul(b.to(torch.float64), a.to(torch.float64)).to(torch.float32);
        }

        var layers = config.Layers.ToArray();
        layers[2] = layers[2] with { FactorizedRanks = new Dictionary<string, int> { ["q_proj"] = FactorRank, ["down_proj"] = FactorRank } };
        return (config with { Layers = layers }, factorized, dense, tensors);
    }
}
