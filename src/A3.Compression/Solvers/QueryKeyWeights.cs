using TorchSharp;

namespace A3.Compression.Solvers;

/// <summary>
/// Compressed query/key projections in Hugging Face <c>[out, in]</c> layout, float64 (the
/// caller casts to the checkpoint dtype). Owns its tensors and disposes them in <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// A class rather than a record: an owner of native tensors has identity, not value equality, and
/// a <c>with</c> copy would give one tensor two owners.
/// </remarks>
public sealed class QueryKeyWeights : IDisposable
{
    private bool disposed;

    /// <summary>Initializes a new instance that takes ownership of the tensors given.</summary>
    /// <param name="query">New <c>q_proj.weight</c>, <c>[H·r, d]</c>.</param>
    /// <param name="key">New <c>k_proj.weight</c>, <c>[Hkv·r, d]</c>.</param>
    /// <param name="queryBias">New <c>q_proj.bias</c> <c>[H·r]</c>, when the original had one.</param>
    /// <param name="keyBias">New <c>k_proj.bias</c> <c>[Hkv·r]</c>, when the original had one.</param>
    public QueryKeyWeights(torch.Tensor query, torch.Tensor key, torch.Tensor? queryBias, torch.Tensor? keyBias)
    {
        Query = query;
        Key = key;
        QueryBias = queryBias;
        KeyBias = keyBias;
    }

    /// <summary>Gets the new <c>q_proj.weight</c>, <c>[H·r, d]</c>.</summary>
    public torch.Tensor Query { get; }

    /// <summary>Gets the new <c>k_proj.weight</c>, <c>[Hkv·r, d]</c>.</summary>
    public torch.Tensor Key { get; }

    /// <summary>Gets the new <c>q_proj.bias</c> <c>[H·r]</c>, or <see langword="null"/> when the original had none.</summary>
    public torch.Tensor? QueryBias { get; }

    /// <summary>Gets the new <c>k_proj.bias</c> <c>[Hkv·r]</c>, or <see langword="null"/> when the original had none.</summary>
    public torch.Tensor? KeyBias { get; }

    /// <summary>Disposes the tensors; later calls do nothing.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Query.Dispose();
        Key.Dispose();
        QueryBias?.Dispose();
        KeyBias?.Dispose();
    }
}
