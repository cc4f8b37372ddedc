using TorchSharp;
using static TorchSharp.torch;

namespace A3.Compression.Solvers;

/// <summary>
/// A3's closed-form OV compression. Head <c>h</c> outputs <c>A_h X W_v W_o^h</c>; every optimal
/// <c>W_v'</c> lies in the span of <c>W_v</c>, so with <c>W_v' = W_v P</c> the error
/// <c>‖A_h X (W_v W_o^h − W_v' W_o'^h)‖²</c> is <c>N·tr(Δᵀ C_h Δ)</c>, <c>Δ = W_o^h − P W_o'^h</c>, and
/// only the dh×dh attention-output second moment <c>C_h</c> is needed. The value head is fitted
/// to the group sum <c>C̄ = Σ_h C_h</c> (SVD of <c>C̄^{1/2}[W_o^{h1}, …]</c>) and each head's
/// output rows are then refit by least squares with its own <c>C_h</c>.
/// </summary>
public static class OvAnalytical
{
    /// <summary>Compresses v_proj/o_proj to value head dimension <paramref name="rank"/>.</summary>
    /// <param name="value"><c>v_proj.weight</c>, <c>[Hkv·dh, d]</c>.</param>
    /// <param name="output"><c>o_proj.weight</c>, <c>[d, H·dh]</c>.</param>
    /// <param name="valueBias"><c>v_proj.bias</c> or null; it maps as <c>b_v' = Pᵀ b_v</c>, consistent
    /// because attention rows sum to 1 and the statistics include the bias.</param>
    /// <param name="attentionOutputStatistics"><c>[H·dh, H·dh]</c>: input of o_proj; only its diagonal blocks <c>C_h</c> are read.</param>
    /// <param name="heads">Query heads <c>H</c>.</param>
    /// <param name="keyValueHeads">Key/value heads <c>Hkv</c>.</param>
    /// <param name="rank">The new value head dimension, <c>1 ≤ rank ≤ dh</c>.</param>
    /// <param name="sharing">Keep value heads shared per key/value head (default), or fuse per query head (grows the V cache by <c>H/Hkv</c>).</param>
    /// <param name="relativeEpsilon">Eigenvalue clamp for the matrix functions.</param>
    /// <param name="cancellationToken">Checked before each value head's eigendecomposition and SVD.</param>
    /// <returns>The new projections (float64), the true relative error and the spectra.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static OvAnalyticalSolution Solve(
        Tensor value,
        Tensor output,
        Tensor? valueBias,
        Tensor attentionOutputStatistics,
        int heads,
        int keyValueHeads,
        int rank,
        ValueHeadSharing sharing = ValueHeadSharing.Shared,
        double relativeEpsilon = SymmetricMatrixFunctions.DefaultRelativeEpsilon,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(attentionOutputStatistics);
        var headDim = ValidateShapes(value, output, valueBias, attentionOutputStatistics, heads, keyValueHeads);
        if (rank < 1 || rank > headDim)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Rank must lie in [1, {headDim}].");
        }

        var groupSize = heads / keyValueHeads;
        using var scope = NewDisposeScope();
        var v = value.to_type(ScalarType.Float64);
        var o = output.to_type(ScalarType.Float64);
        var vb = valueBias?.to_type(ScalarType.Float64);
        var stats = attentionOutputStatistics.to_type(ScalarType.Float64).to(v.device);

        var headStatistics = new Tensor[heads];
        var headOutputs = new Tensor[heads];
        for (var h = 0; h < heads; h++)
        {
            headStatistics[h] = stats.narrow(0, (long)h * headDim, headDim).narrow(1, (long)h * headDim, headDim);
            headOutputs[h] = o.narrow(1, (long)h * headDim, headDim).transpose(0, 1);
        }

        // A value head serves the query heads listed for it and reads the original value rows of
        // its key/value head.
        var valueHeads = sharing == ValueHeadSharing.Shared
            ? Enumerable.Range(0, keyValueHeads).Select(j => (Source: j, Heads: Enumerable.Range(j * groupSize, groupSize).ToArray())).ToArray()
            : Enumerable.Range(0, heads).Select(h => (Source: h / groupSize, Heads: new[] { h })).ToArray();

        var valueBlocks = new Tensor[valueHeads.Length];
        var valueBiasBlocks = new Tensor[valueHeads.Length];
        var outputBlocks = new Tensor[heads];
        var spectra = new double[valueHeads.Length][];
        var clamp = ClampReport.None;
        double error = 0, total = 0;

        // An explicit, disposed alpha of 1: TorchSharp's add(Tensor) converts it to a Scalar internally
        // and leaves it to the finalizer, which can free it while the native add still reads it.
        // The kernel is the same.
        using var one = 1.ToScalar();
        for (var n = 0; n < valueHeads.Length; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (source, served) = valueHeads[n];
            var groupStatistics = served.Select(h => headStatistics[h]).Aggregate((a, b) => a.add(b, one));
            var (groupSqrt, groupInverseSqrt, groupClamp) = SymmetricMatrixFunctions.SquareRoots(groupStatistics, relativeEpsilon);
            clamp = clamp.Combine(groupClamp);

            var whitened = groupSqrt.matmul(cat(served.Select(h => headOutputs[h]).ToArray(), 1));
            var (u, sigma, _) = linalg.svd(whitened, fullMatrices: false);
            spectra[n] = sigma.cpu().data<double>().ToArray();

            // W_v' = W_v P with P = C̄^{-1/2} U_r, so the new v_proj rows are Pᵀ W_vᵀ.
            var projection = groupInverseSqrt.matmul(u.narrow(1, 0, rank));
            var projectionT = projection.transpose(0, 1);
            valueBlocks[n] = projectionT.matmul(v.narrow(0, (long)source * headDim, headDim));
            if (vb is not null)
            {
                valueBiasBlocks[n] = projectionT.matmul(vb.narrow(0, (long)source * headDim, headDim));
            }

            foreach (var h in served)
            {
                // Least-squares refit with the head's own weight: W_o'^h = (Pᵀ C_h P)^+ Pᵀ C_h W_o^h.
                var weighted = projectionT.matmul(headStatistics[h]);
                var gram = SymmetricMatrixFunctions.PseudoInverse(weighted.matmul(projection), out var gramClamp, relativeEpsilon);
                clamp = clamp.Combine(gramClamp);
                var refit = gram.matmul(weighted).matmul(headOutputs[h]);
                outputBlocks[h] = refit.transpose(0, 1);

                var residual = headOutputs[h].sub(projection.matmul(refit));
                error += WeightedEnergy(residual, headStatistics[h]);
                total += WeightedEnergy(headOutputs[h], headStatistics[h]);
            }
        }

        var weights = new ValueOutputWeights(
            cat(valueBlocks, 0).MoveToOuterDisposeScope(),
            cat(outputBlocks, 1).MoveToOuterDisposeScope(),
            vb is null ? null : cat(valueBiasBlocks, 0).MoveToOuterDisposeScope());
        return new OvAnalyticalSolution(weights, rank, sharing, total > 0 ? error / total : 0, spectra, clamp);
    }

    /// <summary>Returns <c>tr(Mᵀ C M)</c>.</summary>
    private static double WeightedEnergy(Tensor matrix, Tensor weight)
    {
        using var scope = NewDisposeScope();
        return matrix.mul(weight.matmul(matrix)).sum().item<double>();
    }

    private static int ValidateShapes(Tensor value, Tensor output, Tensor? valueBias, Tensor statistics, int heads, int keyValueHeads)
    {
        if (keyValueHeads < 1 || heads < 1 || heads % keyValueHeads != 0)
        {
            throw new ArgumentException($"{heads} query heads cannot be grouped over {keyValueHeads} key/value heads.", nameof(keyValueHeads));
        }

        if (value.dim() != 2 || value.shape[0] % keyValueHeads != 0)
        {
            throw new ArgumentException($"v_proj must be [Hkv·dh, d] with Hkv = {keyValueHeads}, got [{string.Join(", ", value.shape)}].", nameof(value));
        }

        var headDim = (int)(value.shape[0] / keyValueHeads);
        if (output.dim() != 2 || output.shape[0] != value.shape[1] || output.shape[1] != (long)heads * headDim)
        {
            throw new ArgumentException($"o_proj must be [{value.shape[1]}, {heads * headDim}], got [{string.Join(", ", output.shape)}].", nameof(output));
        }

        if (valueBias is not null && (valueBias.dim() != 1 || valueBias.shape[0] != value.shape[0]))
        {
            throw new ArgumentException($"v_proj.bias must be [{value.shape[0]}], got [{string.Join(", ", valueBias.shape)}].", nameof(valueBias));
        }

        if (statistics.dim() != 2 || statistics.shape[0] != (long)heads * headDim || statistics.shape[1] != (long)heads * headDim)
        {
            throw new ArgumentException($"Attention output statistics must be [{heads * headDim}, {heads * headDim}], got [{string.Join(", ", statistics.shape)}].", nameof(statistics));
        }

        return headDim;
    }
}
