using TorchSharp;

namespace A3.Compression.Solvers;

/// <summary>
/// Compressed value/output projections in Hugging Face <c>[out, in]</c> layout, float64 (the
/// caller casts to the checkpoint dtype). Owns its tensors and disposes them in <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// A class rather than a record: an owner of native tensors has identity, not value equality, and
/// a <c>with</c> copy would give one tensor two owners.
/// </remarks>
public sealed class ValueOutputWeights : IDisposable
{
    private bool disposed;

    /// <summary>Initializes a new instance that takes ownership of the tensors given.</summary>
    /// <param name="value">New <c>v_proj.weight</c>, <c>[V·r, d]</c> with <c>V = Hkv</c> (shared) or <c>H</c> (fused).</param>
    /// <param name="output">New <c>o_proj.weight</c>, <c>[d, H·r]</c>.</param>
    /// <param name="valueBias">New <c>v_proj.bias</c> <c>[V·r]</c>, when the original had one.</param>
    public ValueOutputWeights(torch.Tensor value, torch.Tensor output, torch.Tensor? valueBias)
    {
        Value = value;
        Output = output;
        ValueBias = valueBias;
    }

    /// <summary>Gets the new <c>v_proj.weight</c>, <c>[V·r, d]</c> with <c>V = Hkv</c> (shared) or <c>H</c> (fused).</summary>
    public torch.Tensor Value { get; }

    /// <summary>Gets the new <c>o_proj.weight</c>, <c>[d, H·r]</c>.</summary>
    public torch.Tensor Output { get; }

    /// <summary>Gets the new <c>v_proj.bias</c> <c>[V·r]</c>, or <see langword="null"/> when the original had none.</summary>
    public torch.Tensor? ValueBias { get; }

    /// <summary>Disposes the tensors; later calls do nothing.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Value.Dispose();
        Output.Dispose();
        ValueBias?.Dispose();
    }
}
