using TorchSharp;

namespace A3.Compression.Solvers;

/// <summary>An MLP shrunk to <c>k</c> intermediate neurons by <see cref="MlpCur"/>. Owns its tensors.</summary>
/// <param name="Gate"><c>gate_proj.weight</c> rows of the kept neurons, <c>[k, d]</c>, in the input's dtype.</param>
/// <param name="Up"><c>up_proj.weight</c> rows of the kept neurons, <c>[k, d]</c>, in the input's dtype.</param>
/// <param name="Down">Refitted <c>down_proj.weight</c>, <c>[d, k]</c>, in the input's dtype.</param>
/// <param name="Kept">Kept neuron indices of the original MLP, ascending; column j of <paramref name="Down"/> belongs to <c>Kept[j]</c>.</param>
/// <param name="RelativeError">
/// Relative functional error of the returned weights (computed in float64 before the dtype
/// cast): <c>E||h W_dᵀ − h_S W_d'ᵀ||² / E||h W_dᵀ||²</c>. Equals <see cref="MlpCur.RelativeError"/>
/// of <paramref name="Kept"/> up to the effect of <paramref name="Ridge"/>.
/// </param>
/// <param name="Ridge">Absolute ridge <c>λ</c> added to <c>C_SS</c> in the refit (0 when all neurons are kept).</param>
public sealed record MlpCurResult(
    torch.Tensor Gate,
    torch.Tensor Up,
    torch.Tensor Down,
    IReadOnlyList<long> Kept,
    double RelativeError,
    double Ridge) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Gate.Dispose();
        Up.Dispose();
        Down.Dispose();
    }
}
