using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>
/// The linear weights of one decoder layer in Hugging Face <c>[out, in]</c> layout, as the
/// solvers consume and produce them. Owns every tensor it holds (the biases too) and disposes
/// them in <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// A class rather than a record: an owner of native tensors has identity, not value equality, and
/// a <c>with</c> copy would give one tensor two owners.
/// </remarks>
public sealed class LayerWeights : IDisposable
{
    private bool disposed;

    /// <summary>Initializes a new instance that takes ownership of every tensor given.</summary>
    /// <param name="query"><c>q_proj.weight</c>, <c>[H·qk, d]</c>.</param>
    /// <param name="key"><c>k_proj.weight</c>, <c>[Hkv·qk, d]</c>.</param>
    /// <param name="value"><c>v_proj.weight</c>, <c>[Hkv·v, d]</c>.</param>
    /// <param name="output"><c>o_proj.weight</c>, <c>[d, H·v]</c>.</param>
    /// <param name="queryBias"><c>q_proj.bias</c> <c>[H·qk]</c>, when attention has biases.</param>
    /// <param name="keyBias"><c>k_proj.bias</c> <c>[Hkv·qk]</c>, when attention has biases.</param>
    /// <param name="valueBias"><c>v_proj.bias</c> <c>[Hkv·v]</c>, when attention has biases.</param>
    /// <param name="gate"><c>gate_proj.weight</c>, <c>[I, d]</c>.</param>
    /// <param name="up"><c>up_proj.weight</c>, <c>[I, d]</c>.</param>
    /// <param name="down"><c>down_proj.weight</c>, <c>[d, I]</c>.</param>
    public LayerWeights(
        torch.Tensor query,
        torch.Tensor key,
        torch.Tensor value,
        torch.Tensor output,
        torch.Tensor? queryBias,
        torch.Tensor? keyBias,
        torch.Tensor? valueBias,
        torch.Tensor gate,
        torch.Tensor up,
        torch.Tensor down)
    {
        Query = query;
        Key = key;
        Value = value;
        Output = output;
        QueryBias = queryBias;
        KeyBias = keyBias;
        ValueBias = valueBias;
        Gate = gate;
        Up = up;
        Down = down;
    }

    /// <summary>Gets <c>q_proj.weight</c>, <c>[H·qk, d]</c>.</summary>
    public torch.Tensor Query { get; }

    /// <summary>Gets <c>k_proj.weight</c>, <c>[Hkv·qk, d]</c>.</summary>
    public torch.Tensor Key { get; }

    /// <summary>Gets <c>v_proj.weight</c>, <c>[Hkv·v, d]</c>.</summary>
    public torch.Tensor Value { get; }

    /// <summary>Gets <c>o_proj.weight</c>, <c>[d, H·v]</c>.</summary>
    public torch.Tensor Output { get; }

    /// <summary>Gets <c>q_proj.bias</c> <c>[H·qk]</c>, or <see langword="null"/> when attention has no biases.</summary>
    public torch.Tensor? QueryBias { get; }

    /// <summary>Gets <c>k_proj.bias</c> <c>[Hkv·qk]</c>, or <see langword="null"/> when attention has no biases.</summary>
    public torch.Tensor? KeyBias { get; }

    /// <summary>Gets <c>v_proj.bias</c> <c>[Hkv·v]</c>, or <see langword="null"/> when attention has no biases.</summary>
    public torch.Tensor? ValueBias { get; }

    /// <summary>Gets <c>gate_proj.weight</c>, <c>[I, d]</c>.</summary>
    public torch.Tensor Gate { get; }

    /// <summary>Gets <c>up_proj.weight</c>, <c>[I, d]</c>.</summary>
    public torch.Tensor Up { get; }

    /// <summary>Gets <c>down_proj.weight</c>, <c>[d, I]</c>.</summary>
    public torch.Tensor Down { get; }

    /// <summary>Disposes every tensor; later calls do nothing.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var tensor in new[] { Query, Key, Value, Output, QueryBias, KeyBias, ValueBias, Gate, Up, Down })
        {
            tensor?.Dispose();
        }
    }
}
