using TorchSharp;

namespace A3.Compression.Solvers;

/// <summary>
/// Compressed value/output projections in Hugging Face <c>[out, in]</c> layout, float64 (the
/// caller casts to the checkpoint dtype). Owns its tensors.
/// </summary>
/// <param name="Value">New <c>v_proj.weight</c>, <c>[V·r, d]</c> with <c>V = Hkv</c> (shared) or <c>H</c> (fused).</param>
/// <param name="Output">New <c>o_proj.weight</c>, <c>[d, H·r]</c>.</param>
/// <param name="ValueBias">New <c>v_proj.bias</c> <c>[V·r]</c>, when the original had one.</param>
public sealed record ValueOutputWeights(torch.Tensor Value, torch.Tensor Output, torch.Tensor? ValueBias) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Value.Dispose();
        Output.Dispose();
        ValueBias?.Dispose();
    }
}
