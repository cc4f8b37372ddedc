using TorchSharp;

namespace A3.Compression.Solvers;

/// <summary>
/// Compressed query/key projections in Hugging Face <c>[out, in]</c> layout, float64 (the
/// caller casts to the checkpoint dtype). Owns its tensors.
/// </summary>
/// <param name="Query">New <c>q_proj.weight</c>, <c>[H·r, d]</c>.</param>
/// <param name="Key">New <c>k_proj.weight</c>, <c>[Hkv·r, d]</c>.</param>
/// <param name="QueryBias">New <c>q_proj.bias</c> <c>[H·r]</c>, when the original had one.</param>
/// <param name="KeyBias">New <c>k_proj.bias</c> <c>[Hkv·r]</c>, when the original had one.</param>
public sealed record QueryKeyWeights(torch.Tensor Query, torch.Tensor Key, torch.Tensor? QueryBias, torch.Tensor? KeyBias) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Query.Dispose();
        Key.Dispose();
        QueryBias?.Dispose();
        KeyBias?.Dispose();
    }
}
