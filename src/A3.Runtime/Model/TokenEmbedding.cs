using A3.Runtime.IO;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>
/// The token embedding table alone, for passes that run the decoder one layer at a time: it gives
/// the hidden states entering layer 0 exactly as <see cref="DecoderModel.Forward"/> computes them.
/// </summary>
internal sealed class TokenEmbedding : IDisposable
{
    private readonly torch.Tensor table;

    private TokenEmbedding(torch.Tensor table) => this.table = table;

    /// <summary>Loads <c>model.embed_tokens.weight</c>, checked against the configuration.</summary>
    /// <exception cref="A3InputException">The tensor is missing or has the wrong shape.</exception>
    public static TokenEmbedding Load(ModelConfig config, IWeightSource weights, torch.Device device, torch.ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        TorchNative.EnsureLoaded();
        return new TokenEmbedding(new CheckedWeightLoader(weights, config, dtype, device).Load(TensorNames.Embeddings));
    }

    /// <summary>Looks up <paramref name="ids"/> (int64 <c>[B, T]</c> on the table's device) in <paramref name="table"/> (<c>[V, d]</c>): <c>[B, T, d]</c>.</summary>
    public static torch.Tensor Lookup(torch.Tensor table, torch.Tensor ids) =>
        table.index_select(0, ids.reshape(-1)).view(ids.shape[0], ids.shape[1], table.shape[1]);

    /// <summary>Returns the hidden states <c>[B, T, d]</c> of <paramref name="ids"/> (int64 <c>[B, T]</c>), moved to the table's device first.</summary>
    public torch.Tensor Forward(torch.Tensor ids)
    {
        using var scope = torch.NewDisposeScope();
        return Lookup(table, ids.to(table.device)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose() => table.Dispose();
}
