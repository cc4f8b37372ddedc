using TorchSharp;

namespace A3.Compression.Solvers;

/// <summary>
/// The pivoted Cholesky elimination behind <see cref="MlpCur"/>'s ranking, blocked so that its bulk is matrix–matrix
/// products. Right-looking across panels of <see cref="DefaultBlockSize"/> steps (as LAPACK's <c>dpstrf</c>): the
/// residual rows <c>R = C − L Lᵀ</c> of the not-yet-pivoted neurons are kept up to date, a panel picks its pivots left-looking from that
/// residual with panel-local matrix–vector products, then one GEMM applies the panel's rank-nb update to the residual
/// and one GEMM <c>W_d · L_panel</c> gives the panel's error decreases.
/// </summary>
/// <remarks>
/// The pivots, the dependent-pivot rule and the prefix errors are those of the plain elimination one pivot at a time:
/// pivot p with residual column r adds the column <c>r / √r_p</c> and lowers the output error by <c>‖W_d r‖² / r_p</c>;
/// a pivot whose residual is at most <see cref="MlpCur.DependentPivotTolerance"/>·max diag C is placed in the order
/// but adds no column and no decrease. Only rounding differs (sums are grouped by panel).
/// </remarks>
internal static class BlockedNeuronElimination
{
    /// <summary>
    /// Steps per panel. Inside a panel each step reads the panel's earlier columns (a memory-bound <c>step × I</c>
    /// product, on average <c>I·nb/2</c> values per step), so a wide panel moves more memory per step; the residual
    /// update <c>R −= L_p L_pᵀ</c> and <c>W_d L_p</c> reach the GEMM rate with an inner dimension of a few dozen, so
    /// a narrow panel costs little there. Their total work does not depend on nb. Measured at Llama-3-8B widths
    /// (I = 14336, d = 4096, 2048 steps, two loaded CPU cores): 64 and 128 within noise of each other, 256 about a
    /// fifth slower (its in-panel products grow), 32 slower (GEMMs too thin). The token is checked at every step, so a
    /// cancellation waits at most for one panel's two GEMMs (under a second at these widths with 64).
    /// </summary>
    internal const int DefaultBlockSize = 64;

    /// <summary>
    /// Rows of <c>C</c> per product of <see cref="OutputEnergy"/>: each product is at most <c>d·512·I</c>
    /// multiply-adds (a few tenths of a second at Llama-3-8B widths on two cores), so a cancellation is seen about
    /// as soon as in the elimination, and the products stay wide enough to run at the GEMM rate.
    /// </summary>
    internal const int EnergyRowBlock = 512;

    /// <summary>
    /// Eliminates <paramref name="count"/> neurons of <c>C</c>, in <paramref name="fixedOrder"/> or, without one,
    /// pivoting on the largest residual score <c>R_ii·‖W_d[:,i]‖²</c> (ties to the lowest neuron index).
    /// </summary>
    /// <remarks>
    /// Memory beyond the inputs: one <c>I × I</c> float64 residual (a copy of <c>C</c>, or the float64 conversion
    /// when <c>C</c> is narrower, updated in place; its rows are in pivot order, its columns in neuron order), the
    /// panel's columns <c>[nb, I]</c> and their rows of not-yet-pivoted neurons <c>[nb, I]</c>, <c>L_pᵀ W_dᵀ</c>
    /// <c>[nb, d]</c>, a few length-I vectors, and at most <c>[d, I]</c> while the output energy is measured.
    /// </remarks>
    /// <param name="intermediate"><c>C = E[h hᵀ]</c>, <c>[I, I]</c>; not modified.</param>
    /// <param name="down"><c>down_proj.weight</c>, <c>[d, I]</c>.</param>
    /// <param name="fixedOrder">Distinct neurons to eliminate in this order (at least <paramref name="count"/>), or null to pivot.</param>
    /// <param name="count">Steps, 0 to I.</param>
    /// <param name="cancellationToken">Checked at every step and before each panel's residual update.</param>
    /// <param name="blockSize">Steps per panel.</param>
    /// <returns>The order and the relative output error of every prefix.</returns>
    public static MlpNeuronRanking Eliminate(
        torch.Tensor intermediate,
        torch.Tensor down,
        IReadOnlyList<long>? fixedOrder,
        int count,
        CancellationToken cancellationToken,
        int blockSize = DefaultBlockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        using var scope = torch.NewDisposeScope();
        var size = intermediate.shape[0];
        var device = intermediate.device;
        var w = down.to(torch.float64);
        var residual = intermediate.dtype == torch.float64 ? intermediate.clone() : intermediate.to(torch.float64);
        var total = OutputEnergy(residual, w, cancellationToken);
        var errors = new double[count + 1];
        errors[0] = total > 0 ? 1 : 0;
        var order = new long[count];

        // pow with explicit, disposed scalars: implicit conversions leave them to the finalizer, which can free them
        // while a native call still reads them (see MlpCur.RelativeError).
        using var two = 2.ToScalar();
        using var excluded = double.NegativeInfinity.ToScalar();
        var columnNorms = w.pow(two).sum(dim: 0);
        var score = residual.diagonal() * columnNorms;
        using var tolerance = (MlpCur.DependentPivotTolerance * Math.Max(residual.diagonal().max().item<double>(), 0)).ToScalar();
        var noColumn = torch.zeros([], torch.float64, device: device);
        var panel = torch.empty([Math.Min(blockSize, Math.Max(count, 1)), size], torch.float64, device: device);
        var rows = new RowOrder(size);
        var remaining = total;
        for (var start = 0; start < count; start += blockSize)
        {
            var width = Math.Min(blockSize, count - start);
            for (var t = 0; t < width; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var stepScope = torch.NewDisposeScope();
                var step = start + t;
                var pivot = fixedOrder?[step] ?? score.argmax().item<long>();
                order[step] = pivot;
                rows.MoveToPosition(residual, pivot, step);

                // Row `step` of the residual is the pivot's residual column (R is symmetric) before this panel's
                // earlier pivots; subtracting their columns makes it current.
                var column = panel.select(0, t).copy_(residual.select(0, step));
                if (t > 0)
                {
                    var earlier = panel.narrow(0, 0, t);
                    column.addmv_(earlier.t(), earlier.select(1, pivot), beta: 1, alpha: -1);
                }

                // A dependent pivot gets the scale 0, so its column and its error decrease vanish without a host
                // read of the pivot value.
                var pivotValue = column.select(0, pivot);
                var scale = torch.where(pivotValue.gt(tolerance), pivotValue.sqrt().reciprocal(), noColumn);
                column.mul_(scale);
                if (fixedOrder is null)
                {
                    score.sub_(column.pow(two) * columnNorms);
                    score.select(0, pivot).fill_(excluded);
                }
            }

            using var panelScope = torch.NewDisposeScope();
            var columns = panel.narrow(0, 0, width);

            // All the panel's decreases ‖W_d r‖² in one product and one transfer; as L_pᵀ·W_dᵀ ([nb, d]) the product
            // ran twice as fast as W_d·L_p ([d, nb]) on a CPU, whose BLAS favours the long output rows.
            var decreases = columns.matmul(w.t()).pow(two).sum(dim: 1).cpu().data<double>().ToArray();
            for (var t = 0; t < width; t++)
            {
                remaining -= decreases[t];
                errors[start + t + 1] = total > 0 ? Math.Clamp(remaining / total, 0, 1) : 0;
            }

            var next = start + width;
            if (next < count)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // Only the rows of neurons not yet pivoted are read again; they sit contiguously from `next` on.
                using var alive = torch.tensor(rows.NeuronsFrom(next), device: device);
                var aliveColumns = columns.index_select(1, alive);
                residual.narrow(0, next, size - next).addmm_(aliveColumns.t(), columns, beta: 1, alpha: -1);
            }
        }

        return new MlpNeuronRanking(order, errors);
    }

    /// <summary>
    /// <c>tr(W C Wᵀ) = Σ_ij C_ij (WᵀW)_ij</c> from the upper block triangle of the symmetric <c>C</c>: each row block
    /// <c>a</c> multiplies <c>W_a C_{a, a:}</c> and counts the blocks right of the diagonal twice. About half the
    /// <c>d·I²</c> of the full product, and cancellable between row blocks.
    /// </summary>
    /// <param name="c">The symmetric <c>[I, I]</c> statistics, float64.</param>
    /// <param name="w">The <c>[d, I]</c> weights, float64.</param>
    /// <param name="cancellationToken">Checked before every row block.</param>
    /// <param name="rowBlock">Rows of <c>C</c> per product.</param>
    /// <returns>The output energy.</returns>
    internal static double OutputEnergy(torch.Tensor c, torch.Tensor w, CancellationToken cancellationToken, int rowBlock = EnergyRowBlock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowBlock, 1);
        var size = c.shape[0];
        var total = 0.0;
        for (var start = 0L; start < size; start += rowBlock)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            var rows = Math.Min(rowBlock, size - start);
            var left = w.narrow(1, start, size - start);
            var product = w.narrow(1, start, rows).matmul(c.narrow(0, start, rows).narrow(1, start, size - start)).mul_(left);
            var diagonal = product.narrow(1, 0, rows).sum().item<double>();
            var offDiagonal = rows < size - start ? product.narrow(1, rows, size - start - rows).sum().item<double>() : 0;
            total += diagonal + (2 * offDiagonal);
        }

        return total;
    }

    /// <summary>
    /// Which neuron's residual row sits at each row of the residual: pivots move to the front in pivot order, so
    /// the rows still to be updated are one contiguous block.
    /// </summary>
    private sealed class RowOrder
    {
        private readonly long[] neuronAt;
        private readonly long[] positionOf;

        public RowOrder(long size)
        {
            neuronAt = new long[size];
            positionOf = new long[size];
            for (var i = 0L; i < size; i++)
            {
                neuronAt[i] = i;
                positionOf[i] = i;
            }
        }

        /// <summary>Swaps the row of <paramref name="neuron"/> with the row at <paramref name="position"/>.</summary>
        public void MoveToPosition(torch.Tensor residual, long neuron, long position)
        {
            var from = positionOf[neuron];
            if (from < position)
            {
                // Only a non-finite score can make argmax pick a neuron already pivoted.
                throw new InvalidOperationException($"Neuron {neuron} was chosen twice: the residual scores are not finite.");
            }

            if (from == position)
            {
                return;
            }

            using var source = torch.tensor(new[] { from, position }, device: residual.device);
            using var target = torch.tensor(new[] { position, from }, device: residual.device);
            using var swapped = residual.index_select(0, source);
            residual.index_copy_(0, target, swapped);
            var displaced = neuronAt[position];
            neuronAt[position] = neuron;
            neuronAt[from] = displaced;
            positionOf[neuron] = position;
            positionOf[displaced] = from;
        }

        /// <summary>The neurons at rows <paramref name="position"/> onwards.</summary>
        public long[] NeuronsFrom(long position) => neuronAt[(int)position..];
    }
}
