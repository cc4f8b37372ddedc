using TorchSharp;

namespace A3.Compression.Solvers;

/// <summary>
/// An MLP shrunk to <c>k</c> intermediate neurons by <see cref="MlpCur"/>. Owns <see cref="Gate"/>,
/// <see cref="Up"/> and <see cref="Down"/> and disposes them in <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// A class rather than a record: an owner of native tensors has identity, not value equality, and
/// a <c>with</c> copy would give one tensor two owners.
/// </remarks>
public sealed class MlpCurResult : IDisposable
{
    private bool disposed;

    /// <summary>Initializes a new instance that takes ownership of the three tensors.</summary>
    /// <param name="gate"><c>gate_proj.weight</c> rows of the kept neurons, <c>[k, d]</c>, in the input's dtype.</param>
    /// <param name="up"><c>up_proj.weight</c> rows of the kept neurons, <c>[k, d]</c>, in the input's dtype.</param>
    /// <param name="down">Refitted <c>down_proj.weight</c>, <c>[d, k]</c>, in the input's dtype.</param>
    /// <param name="kept">Kept neuron indices of the original MLP, ascending.</param>
    /// <param name="relativeError">Relative functional error of the returned weights (see <see cref="RelativeError"/>).</param>
    /// <param name="ridge">Absolute ridge <c>λ</c> added to <c>C_SS</c> in the refit (0 when all neurons are kept).</param>
    public MlpCurResult(
        torch.Tensor gate,
        torch.Tensor up,
        torch.Tensor down,
        IReadOnlyList<long> kept,
        double relativeError,
        double ridge)
    {
        Gate = gate;
        Up = up;
        Down = down;
        Kept = kept;
        RelativeError = relativeError;
        Ridge = ridge;
    }

    /// <summary>Gets the <c>gate_proj.weight</c> rows of the kept neurons, <c>[k, d]</c>, in the input's dtype.</summary>
    public torch.Tensor Gate { get; }

    /// <summary>Gets the <c>up_proj.weight</c> rows of the kept neurons, <c>[k, d]</c>, in the input's dtype.</summary>
    public torch.Tensor Up { get; }

    /// <summary>Gets the refitted <c>down_proj.weight</c>, <c>[d, k]</c>, in the input's dtype.</summary>
    public torch.Tensor Down { get; }

    /// <summary>Gets the kept neuron indices of the original MLP, ascending; column j of <see cref="Down"/> belongs to <c>Kept[j]</c>.</summary>
    public IReadOnlyList<long> Kept { get; }

    /// <summary>
    /// Gets the relative functional error of the returned weights (computed in float64 before the
    /// dtype cast): <c>E||h W_dᵀ − h_S W_d'ᵀ||² / E||h W_dᵀ||²</c>. Equals <see cref="MlpCur.RelativeError"/>
    /// of <see cref="Kept"/> up to the effect of <see cref="Ridge"/>.
    /// </summary>
    public double RelativeError { get; }

    /// <summary>Gets the absolute ridge <c>λ</c> added to <c>C_SS</c> in the refit (0 when all neurons are kept).</summary>
    public double Ridge { get; }

    /// <summary>Disposes the three tensors; later calls do nothing.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Gate.Dispose();
        Up.Dispose();
        Down.Dispose();
    }
}
