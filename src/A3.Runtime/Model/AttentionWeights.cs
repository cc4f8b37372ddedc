using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>The projection weights (<c>[out, in]</c> layout) and optional q/k/v biases of one attention block.</summary>
/// <param name="Query">q_proj, <c>[H·qk, d]</c>.</param>
/// <param name="Key">k_proj, <c>[H_kv·qk, d]</c>.</param>
/// <param name="Value">v_proj, <c>[H_kv·v, d]</c>.</param>
/// <param name="Output">o_proj, <c>[d, H·v]</c>.</param>
/// <param name="QueryBias">q_proj bias, when the model has attention biases.</param>
/// <param name="KeyBias">k_proj bias, when the model has attention biases.</param>
/// <param name="ValueBias">v_proj bias, when the model has attention biases.</param>
internal sealed record AttentionWeights(
    torch.Tensor Query,
    torch.Tensor Key,
    torch.Tensor Value,
    torch.Tensor Output,
    torch.Tensor? QueryBias,
    torch.Tensor? KeyBias,
    torch.Tensor? ValueBias) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Query.Dispose();
        Key.Dispose();
        Value.Dispose();
        Output.Dispose();
        QueryBias?.Dispose();
        KeyBias?.Dispose();
        ValueBias?.Dispose();
    }
}
