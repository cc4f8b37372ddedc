using TorchSharp;

namespace A3.Compression.Solvers;

/// <summary>
/// A3's MLP step: keep <c>k</c> of the <c>I</c> intermediate neurons of a (SwiGLU) MLP — rows of
/// gate/up_proj, columns of down_proj — and refit down_proj in closed form against the original
/// output <c>h W_dᵀ</c>, given <c>C = E[h hᵀ]</c>. Pure maths in float64; tensors stay on their device.
/// </summary>
public static class MlpCur
{
    /// <summary>
    /// Default ridge of the refit relative to the mean of <c>diag C_SS</c>: small enough to leave a
    /// well-conditioned refit unchanged to about 1e-12, large enough to keep the solve stable when
    /// kept neurons are nearly collinear on the calibration data.
    /// </summary>
    public const double DefaultRelativeRidge = 1e-6;

    /// <summary>
    /// A residual pivot below this fraction of <c>max diag C</c> marks a neuron that earlier
    /// pivots already explain up to rounding; it is kept but contributes nothing.
    /// </summary>
    internal const double DependentPivotTolerance = 1e-12;

    /// <summary>
    /// Keeps <paramref name="keep"/> neurons chosen by <paramref name="selector"/> and refits
    /// <c>down_proj</c>: <c>W_d'ᵀ = (C_SS + λI)⁻¹ C_{S,:} W_dᵀ</c> with
    /// <c>λ = relativeRidge · mean(diag C_SS)</c>. Keeping every neuron returns the weights
    /// unchanged, which is the exact optimum.
    /// </summary>
    /// <param name="gate"><c>gate_proj.weight</c>, <c>[I, d]</c>.</param>
    /// <param name="up"><c>up_proj.weight</c>, <c>[I, d]</c>.</param>
    /// <param name="down"><c>down_proj.weight</c>, <c>[d, I]</c>.</param>
    /// <param name="intermediate"><c>C = E[h hᵀ]</c>, <c>[I, I]</c>.</param>
    /// <param name="keep">Number of neurons to keep, 1 to I.</param>
    /// <param name="selector">Which neurons to keep.</param>
    /// <param name="relativeRidge">Ridge relative to <c>mean(diag C_SS)</c>; grows tenfold if the solve is still singular.</param>
    /// <param name="cancellationToken">Stops the selection (checked at every pivot).</param>
    /// <returns>The shrunk weights, the kept indices and the relative functional error.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static MlpCurResult Compress(
        torch.Tensor gate,
        torch.Tensor up,
        torch.Tensor down,
        torch.Tensor intermediate,
        int keep,
        MlpSelector selector,
        double relativeRidge = DefaultRelativeRidge,
        CancellationToken cancellationToken = default)
    {
        var size = CheckShapes(intermediate, down);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keep, size);
        CheckGateAndUp(gate, up, down, size);
        ArgumentOutOfRangeException.ThrowIfNegative(relativeRidge);
        return Compress(gate, up, down, intermediate, Select(intermediate, down, keep, selector, cancellationToken), relativeRidge, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Keeps the neurons <paramref name="kept"/> (from a selector's order, as <see cref="Select"/> or
    /// <see cref="MlpNeuronRanking.Kept"/> give them) and refits <c>down_proj</c> as
    /// <see cref="Compress(torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, int, MlpSelector, double, CancellationToken)"/> does.
    /// </summary>
    /// <param name="gate"><c>gate_proj.weight</c>, <c>[I, d]</c>.</param>
    /// <param name="up"><c>up_proj.weight</c>, <c>[I, d]</c>.</param>
    /// <param name="down"><c>down_proj.weight</c>, <c>[d, I]</c>.</param>
    /// <param name="intermediate"><c>C = E[h hᵀ]</c>, <c>[I, I]</c>.</param>
    /// <param name="kept">Distinct neuron indices, ascending, at least one.</param>
    /// <param name="relativeRidge">Ridge relative to <c>mean(diag C_SS)</c>.</param>
    /// <param name="outputEnergy">
    /// <c>tr(W_d C W_dᵀ)</c> when the caller already has it: a caller refitting many sizes of one layer computes it
    /// once (at real widths it is the largest product here, <c>d·I²</c>).
    /// </param>
    /// <param name="cancellationToken">Stops the output energy's row blocks when it is computed here.</param>
    /// <returns>The shrunk weights, the kept indices and the relative functional error.</returns>
    internal static MlpCurResult Compress(
        torch.Tensor gate,
        torch.Tensor up,
        torch.Tensor down,
        torch.Tensor intermediate,
        long[] kept,
        double relativeRidge = DefaultRelativeRidge,
        double? outputEnergy = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kept);
        var size = CheckShapes(intermediate, down);
        CheckIndices(kept, size);
        ArgumentOutOfRangeException.ThrowIfLessThan(kept.Length, 1);
        CheckGateAndUp(gate, up, down, size);
        ArgumentOutOfRangeException.ThrowIfNegative(relativeRidge);
        var keep = kept.Length;
        using var scope = torch.NewDisposeScope();
        using var index = torch.tensor(kept, device: gate.device);
        var newGate = gate.index_select(0, index);
        var newUp = up.index_select(0, index);
        torch.Tensor newDown;
        double ridge;
        double error;
        if (keep == size)
        {
            newDown = down.clone();
            ridge = 0;
            error = 0;
        }
        else
        {
            var c = intermediate.to(torch.float64);
            var w = down.to(torch.float64);
            var refit = Refit(c, w, kept, relativeRidge);
            ridge = refit.Ridge;
            error = RefitError(outputEnergy ?? BlockedNeuronElimination.OutputEnergy(c, w, cancellationToken), refit);
            newDown = refit.Down.to(down.dtype);
        }

        return new MlpCurResult(
            newGate.MoveToOuterDisposeScope(),
            newUp.MoveToOuterDisposeScope(),
            newDown.MoveToOuterDisposeScope(),
            kept,
            error,
            ridge);
    }

    private static void CheckGateAndUp(torch.Tensor gate, torch.Tensor up, torch.Tensor down, long size)
    {
        if (gate.ndim != 2 || gate.shape[0] != size || up.ndim != 2 || up.shape[0] != size || up.shape[1] != gate.shape[1] || down.shape[0] != gate.shape[1])
        {
            throw new ArgumentException($"gate/up must be [{size}, d] with d = {down.shape[0]}; got [{string.Join(", ", gate.shape)}] and [{string.Join(", ", up.shape)}].", nameof(gate));
        }
    }

    /// <summary>The <paramref name="keep"/> neurons <paramref name="selector"/> keeps, ascending.</summary>
    /// <param name="intermediate"><c>C = E[h hᵀ]</c>, <c>[I, I]</c>.</param>
    /// <param name="down"><c>down_proj.weight</c>, <c>[d, I]</c>.</param>
    /// <param name="keep">Number of neurons to keep, 0 to I.</param>
    /// <param name="selector">Which neurons to keep.</param>
    /// <param name="cancellationToken">Stops the selection (checked at every pivot).</param>
    /// <returns>Sorted neuron indices.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static long[] Select(torch.Tensor intermediate, torch.Tensor down, int keep, MlpSelector selector, CancellationToken cancellationToken = default)
    {
        var size = CheckShapes(intermediate, down);
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keep, size);
        var order = selector switch
        {
            MlpSelector.Importance => ImportanceOrder(intermediate, down),
            MlpSelector.PivotedCholesky => BlockedNeuronElimination.Eliminate(intermediate, down, null, keep, cancellationToken).Order,
            _ => throw new ArgumentOutOfRangeException(nameof(selector), selector, "Unknown MLP selector."),
        };
        var kept = order.Take(keep).ToArray();
        Array.Sort(kept);
        return kept;
    }

    /// <summary>
    /// The first <paramref name="count"/> neurons in <paramref name="selector"/>'s order with the
    /// exact error of every prefix (the allocator's error curve). For pivoted Cholesky the curve
    /// falls out of the same elimination; for importance the fixed order is eliminated once.
    /// Costs <c>O(I²·count + d·I·(I + count))</c>, almost all of it in matrix–matrix products.
    /// </summary>
    /// <param name="intermediate"><c>C = E[h hᵀ]</c>, <c>[I, I]</c>.</param>
    /// <param name="down"><c>down_proj.weight</c>, <c>[d, I]</c>.</param>
    /// <param name="count">How long a prefix to rank, 0 to I.</param>
    /// <param name="selector">Which order.</param>
    /// <param name="cancellationToken">Stops the ranking (checked at every pivot).</param>
    /// <returns>The order and its prefix errors.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static MlpNeuronRanking Rank(torch.Tensor intermediate, torch.Tensor down, int count, MlpSelector selector, CancellationToken cancellationToken = default)
    {
        var size = CheckShapes(intermediate, down);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, size);
        return selector switch
        {
            MlpSelector.Importance => BlockedNeuronElimination.Eliminate(intermediate, down, ImportanceOrder(intermediate, down).Take(count).ToArray(), count, cancellationToken),
            MlpSelector.PivotedCholesky => BlockedNeuronElimination.Eliminate(intermediate, down, null, count, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(selector), selector, "Unknown MLP selector."),
        };
    }

    /// <summary>
    /// Exact error of every prefix of an arbitrary neuron order, e.g. an allocator's own order.
    /// </summary>
    /// <param name="intermediate"><c>C = E[h hᵀ]</c>, <c>[I, I]</c>.</param>
    /// <param name="down"><c>down_proj.weight</c>, <c>[d, I]</c>.</param>
    /// <param name="order">Distinct neuron indices.</param>
    /// <param name="cancellationToken">Stops the elimination (checked at every neuron).</param>
    /// <returns><c>result[k]</c> = <see cref="RelativeError"/> of the first k entries; length <c>order.Count + 1</c>.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static IReadOnlyList<double> PrefixErrors(torch.Tensor intermediate, torch.Tensor down, IReadOnlyList<long> order, CancellationToken cancellationToken = default)
    {
        var size = CheckShapes(intermediate, down);
        CheckIndices(order, size);
        return BlockedNeuronElimination.Eliminate(intermediate, down, order, order.Count, cancellationToken).PrefixErrors;
    }

    /// <summary>
    /// The true relative functional error of keeping <paramref name="kept"/> with the optimal
    /// (ridge-free) refit: <c>tr(W_d (C − C_{:,S} C_SS⁻¹ C_{S,:}) W_dᵀ) / tr(W_d C W_dᵀ)</c>. A
    /// singular <c>C_SS</c> uses its pseudo-inverse (eigenvalues below 1e-12·max dropped).
    /// Returns 0 when the MLP output is identically zero.
    /// </summary>
    /// <param name="intermediate"><c>C = E[h hᵀ]</c>, <c>[I, I]</c>.</param>
    /// <param name="down"><c>down_proj.weight</c>, <c>[d, I]</c>.</param>
    /// <param name="kept">Distinct neuron indices, any order.</param>
    /// <returns>The error in [0, 1].</returns>
    public static double RelativeError(torch.Tensor intermediate, torch.Tensor down, IReadOnlyList<long> kept)
    {
        var size = CheckShapes(intermediate, down);
        CheckIndices(kept, size);
        using var scope = torch.NewDisposeScope();
        var c = intermediate.to(torch.float64);
        var w = down.to(torch.float64);
        var total = OutputEnergy(c, w);
        if (!(total > 0))
        {
            return 0;
        }

        if (kept.Count == 0)
        {
            return 1;
        }

        // square() is pow(2) with an exponent Scalar that TorchSharp converts internally and leaves to
        // the finalizer, which can free it while the native call still reads it; pow with an explicit,
        // disposed 2 is the same call.
        using var two = 2.ToScalar();
        var index = torch.tensor(kept.ToArray(), device: c.device);
        var rows = c.index_select(0, index);
        var block = rows.index_select(1, index);
        var target = rows.matmul(w.t());
        double explained;
        var (factor, info) = torch.linalg.cholesky_ex(block);
        if (info.item<int>() == 0 && factor.diagonal().pow(two).min().item<double>() > DependentPivotTolerance * block.diagonal().max().item<double>())
        {
            explained = torch.linalg.solve_triangular(factor, target, upper: false).pow(two).sum().item<double>();
        }
        else
        {
            var (values, vectors) = torch.linalg.eigh(block);
            using var floor = (DependentPivotTolerance * Math.Max(values.max().item<double>(), 0)).ToScalar();
            var used = values.gt(floor);
            var projected = vectors.t().matmul(target).pow(two).sum(1);
            explained = torch.where(used, projected / values.where(used, torch.ones_like(values)), torch.zeros_like(values)).sum().item<double>();
        }

        return Math.Clamp((total - explained) / total, 0, 1);
    }

    /// <summary>
    /// Closed-form refit of down_proj for the kept neurons:
    /// <c>W_d' = ((C_SS + λI)⁻¹ C_{S,:} W_dᵀ)ᵀ</c> via a Cholesky factor, <c>λ = relativeRidge · mean(diag C_SS)</c>.
    /// </summary>
    /// <param name="intermediate"><c>C = E[h hᵀ]</c>, <c>[I, I]</c>.</param>
    /// <param name="down"><c>down_proj.weight</c>, <c>[d, I]</c>.</param>
    /// <param name="kept">Kept neuron indices; column j of the result belongs to <c>kept[j]</c>.</param>
    /// <param name="relativeRidge">Ridge relative to <c>mean(diag C_SS)</c>; grows tenfold while the factor is unusable.</param>
    /// <param name="ridge">The absolute ridge used.</param>
    /// <returns>The refitted <c>[d, k]</c> weight, float64.</returns>
    public static torch.Tensor RefitDown(torch.Tensor intermediate, torch.Tensor down, IReadOnlyList<long> kept, double relativeRidge, out double ridge)
    {
        var size = CheckShapes(intermediate, down);
        CheckIndices(kept, size);
        ArgumentOutOfRangeException.ThrowIfNegative(relativeRidge);
        using var scope = torch.NewDisposeScope();
        var refit = Refit(intermediate.to(torch.float64), down.to(torch.float64), kept, relativeRidge);
        ridge = refit.Ridge;
        return refit.Down.MoveToOuterDisposeScope();
    }

    /// <summary>The refit of <see cref="RefitDown"/> with the products its error needs; its tensors belong to the caller's dispose scope.</summary>
    private static DownRefit Refit(torch.Tensor c, torch.Tensor w, IReadOnlyList<long> kept, double relativeRidge)
    {
        var index = torch.tensor(kept.ToArray(), device: c.device);
        var rows = c.index_select(0, index);
        var block = rows.index_select(1, index);
        var target = rows.matmul(w.t());
        var factor = RegularizedCholesky.Factor(block, relativeRidge, out var ridge);
        var half = torch.linalg.solve_triangular(factor, target, upper: false);
        var solution = torch.linalg.solve_triangular(factor.t(), half, upper: true);
        return new DownRefit(solution.t().contiguous(), target, ridge);
    }

    /// <summary>
    /// Relative error of a refit <c>W'</c>: <c>(tr(W C Wᵀ) − 2 tr(W' C_{S,:} Wᵀ) + tr(W' C_SS W'ᵀ)) / tr(W C Wᵀ)</c>, in
    /// <c>O(d·k)</c>. The cross term is read from the refit's own <c>C_{S,:} Wᵀ</c>; the last term follows from the
    /// normal equations the refit solved, <c>(C_SS + λI) W'ᵀ = C_{S,:} Wᵀ</c>: <c>tr(W' C_SS W'ᵀ) = cross − λ‖W'‖²</c>,
    /// which saves a <c>d·k²</c> product (a teraflop at Llama-3-8B widths).
    /// </summary>
    private static double RefitError(double total, DownRefit refit)
    {
        if (!(total > 0))
        {
            return 0;
        }

        using var scope = torch.NewDisposeScope();
        var cross = (refit.Down * refit.Target.t()).sum().item<double>();
        using var two = 2.ToScalar();
        var kept2 = cross - (refit.Ridge * refit.Down.pow(two).sum().item<double>());
        return Math.Max(0, (total - (2 * cross) + kept2) / total);
    }

    /// <summary><c>tr(W C Wᵀ) = E||h Wᵀ||²</c>.</summary>
    private static double OutputEnergy(torch.Tensor c, torch.Tensor w)
    {
        using var product = w.matmul(c);
        using var weighted = product * w;
        using var sum = weighted.sum();
        return sum.item<double>();
    }

    /// <summary>Neurons by descending <c>C_ii·||W_d[:,i]||²</c>, ties to the lower index.</summary>
    private static long[] ImportanceOrder(torch.Tensor intermediate, torch.Tensor down)
    {
        using var scope = torch.NewDisposeScope();
        using var two = 2.ToScalar();
        var scores = (intermediate.to(torch.float64).diagonal() * down.to(torch.float64).pow(two).sum(dim: 0)).cpu().data<double>().ToArray();
        var order = Enumerable.Range(0, scores.Length).Select(i => (long)i).ToArray();
        Array.Sort(order, (a, b) => scores[b] != scores[a] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
        return order;
    }

    private static long CheckShapes(torch.Tensor intermediate, torch.Tensor down)
    {
        if (intermediate.ndim != 2 || intermediate.shape[0] != intermediate.shape[1])
        {
            throw new ArgumentException($"The intermediate autocorrelation must be square [I, I]; got [{string.Join(", ", intermediate.shape)}].", nameof(intermediate));
        }

        if (down.ndim != 2 || down.shape[1] != intermediate.shape[0])
        {
            throw new ArgumentException($"down_proj.weight must be [d, {intermediate.shape[0]}]; got [{string.Join(", ", down.shape)}].", nameof(down));
        }

        return intermediate.shape[0];
    }

    private static void CheckIndices(IReadOnlyList<long> indices, long size)
    {
        var seen = new HashSet<long>();
        foreach (var index in indices)
        {
            if (index < 0 || index >= size || !seen.Add(index))
            {
                throw new ArgumentException($"Neuron indices must be distinct and in [0, {size}); got {index}.", nameof(indices));
            }
        }
    }

    /// <summary>A refitted <c>down_proj</c> <c>[d, k]</c> with <c>C_{S,:} W_dᵀ</c> <c>[k, d]</c>, <c>C_SS</c> and the ridge used.</summary>
    private sealed record DownRefit(torch.Tensor Down, torch.Tensor Target, double Ridge);
}
