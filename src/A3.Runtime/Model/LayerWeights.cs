using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>
/// The linear weights of one decoder layer in Hugging Face <c>[out, in]</c> layout, as the
/// solvers consume and produce them. Owns its tensors.
/// </summary>
/// <param name="Query"><c>q_proj.weight</c>, <c>[H·qk, d]</c>.</param>
/// <param name="Key"><c>k_proj.weight</c>, <c>[Hkv·qk, d]</c>.</param>
/// <param name="Value"><c>v_proj.weight</c>, <c>[Hkv·v, d]</c>.</param>
/// <param name="Output"><c>o_proj.weight</c>, <c>[d, H·v]</c>.</param>
/// <param name="QueryBias"><c>q_proj.bias</c> <c>[H·qk]</c>, when attention has biases.</param>
/// <param name="KeyBias"><c>k_proj.bias</c> <c>[Hkv·qk]</c>, when attention has biases.</param>
/// <param name="ValueBias"><c>v_proj.bias</c> <c>[Hkv·v]</c>, when attention has biases.</param>
/// <param name="Gate"><c>gate_proj.weight</c>, <c>[I, d]</c>.</param>
/// <param name="Up"><c>up_proj.weight</c>, <c>[I, d]</c>.</param>
/// <param name="Down"><c>down_proj.weight</c>, <c>[d, I]</c>.</param>
public sealed record LayerWeights(
    torch.Tensor Query,
    torch.Tensor Key,
    torch.Tensor Value,
    torch.Tensor Output,
    torch.Tensor? QueryBias,
    torch.Tensor? KeyBias,
    torch.Tensor? ValueBias,
    torch.Tensor Gate,
    torch.Tensor Up,
    torch.Tensor Down) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tensor in new[] { Query, Key, Value, Output, QueryBias, KeyBias, ValueBias, Gate, Up, Down })
        {
            tensor?.Dispose();
        }
    }
}
