using A3.Compression.Solvers;
using TorchSharp;

namespace A3.Compression.Tests;

/// <summary>
/// The plain elimination one pivot at a time that <see cref="BlockedNeuronElimination"/> replaced, kept as its
/// reference: left-looking, every residual column rebuilt from <c>C</c> and all earlier columns, every error decrease
/// its own matrix–vector product. Slow (memory-bound) at real widths, simple enough to trust.
/// </summary>
internal static class UnblockedNeuronElimination
{
    /// <summary>
    /// Eliminates <paramref name="count"/> neurons in <paramref name="fixedOrder"/> or pivoting on the largest
    /// <c>||W_d[:,i]||²·R_ii</c> (ties to the lowest index). Each pivot p with residual column r shrinks the residual
    /// <c>R ← R − r rᵀ / r_p</c>, so the output error falls by exactly <c>||W_d r||² / r_p</c>; a pivot at most
    /// <see cref="MlpCur.DependentPivotTolerance"/>·max diag C is placed but adds nothing.
    /// </summary>
    public static MlpNeuronRanking Eliminate(torch.Tensor intermediate, torch.Tensor down, IReadOnlyList<long>? fixedOrder, int count)
    {
        using var scope = torch.NewDisposeScope();
        var c = intermediate.to(torch.float64);
        var w = down.to(torch.float64);
        var size = c.shape[0];
        using var two = 2.ToScalar();
        var total = (w.matmul(c) * w).sum().item<double>();
        var errors = new double[count + 1];
        errors[0] = total > 0 ? 1 : 0;
        var order = new long[count];
        var columns = torch.zeros([size, Math.Max(count, 1)], dtype: torch.float64, device: c.device);
        var columnNorms = w.pow(two).sum(dim: 0);
        var score = c.diagonal() * columnNorms;
        var tolerance = MlpCur.DependentPivotTolerance * Math.Max(c.diagonal().max().item<double>(), 0);
        using var excluded = double.NegativeInfinity.ToScalar();
        var remaining = total;
        for (var step = 0; step < count; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            var pivot = fixedOrder?[step] ?? score.argmax().item<long>();
            order[step] = pivot;
            var residual = c.select(1, pivot).clone();
            if (step > 0)
            {
                var previous = columns.narrow(1, 0, step);
                residual.sub_(previous.matmul(previous[pivot]));
            }

            var pivotValue = residual[pivot].item<double>();
            if (pivotValue > tolerance)
            {
                using var rootScalar = (1 / Math.Sqrt(pivotValue)).ToScalar();
                var column = residual.mul(rootScalar);
                columns.select(1, step).copy_(column);
                score.sub_(column.pow(two) * columnNorms);
                remaining -= w.matmul(column).pow(two).sum().item<double>();
            }

            using var pivotIndex = torch.tensor(new[] { pivot }, device: c.device);
            score.index_fill_(0, pivotIndex, excluded);
            errors[step + 1] = total > 0 ? Math.Clamp(remaining / total, 0, 1) : 0;
        }

        return new MlpNeuronRanking(order, errors);
    }
}
