using TorchSharp;
using static TorchSharp.torch;

namespace A3.Compression.Solvers;

/// <summary>
/// A3's closed-form QK compression for models without RoPE (ALiBi, NoPE, learned positions).
/// The squared score error <c>‖R^{1/2}(W_q W_kᵀ − W_q' W_k'ᵀ)R^{1/2}‖²</c> reduces to
/// <c>‖C_q^{1/2}(I − A Bᵀ)C_k^{1/2}‖²</c> for <c>W_q' = W_q A</c>, <c>W_k' = W_k B</c>, so only the
/// dh×dh query/key second moments are needed. Under GQA the query sides of a group are stacked,
/// which is the exact optimum of the group-summed error with a single shared key head.
/// </summary>
public static class QkAnalytical
{
    /// <summary>Compresses q_proj/k_proj to head dimension <paramref name="rank"/>.</summary>
    /// <param name="query"><c>q_proj.weight</c>, <c>[H·dh, d]</c>.</param>
    /// <param name="key"><c>k_proj.weight</c>, <c>[Hkv·dh, d]</c>.</param>
    /// <param name="queryBias"><c>q_proj.bias</c> or null; it is transformed like the weight rows,
    /// which is consistent because the statistics already include it.</param>
    /// <param name="keyBias"><c>k_proj.bias</c> or null, transformed likewise.</param>
    /// <param name="queryStatistics"><c>[H, dh, dh]</c>: per query head <c>E[q qᵀ]</c>.</param>
    /// <param name="keyStatistics"><c>[Hkv, dh, dh]</c>: per key/value head <c>E[k kᵀ]</c>.</param>
    /// <param name="rank">The new head dimension, <c>1 ≤ rank ≤ dh</c>.</param>
    /// <param name="relativeEpsilon">Eigenvalue clamp for the matrix square roots.</param>
    /// <returns>The new projections (float64), the spectra and the relative error.</returns>
    public static QkAnalyticalSolution Solve(
        Tensor query,
        Tensor key,
        Tensor? queryBias,
        Tensor? keyBias,
        Tensor queryStatistics,
        Tensor keyStatistics,
        int rank,
        double relativeEpsilon = SymmetricMatrixFunctions.DefaultRelativeEpsilon)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(queryStatistics);
        ArgumentNullException.ThrowIfNull(keyStatistics);
        var (heads, keyValueHeads, headDim) = QkShapes.Validate(queryStatistics, keyStatistics);
        QkShapes.ValidateProjections(query, key, queryBias, keyBias, heads, keyValueHeads, headDim);
        if (rank < 1 || rank > headDim)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Rank must lie in [1, {headDim}].");
        }

        var groupSize = heads / keyValueHeads;
        using var scope = NewDisposeScope();
        var q = query.to_type(ScalarType.Float64);
        var k = key.to_type(ScalarType.Float64);
        var qb = queryBias?.to_type(ScalarType.Float64);
        var kb = keyBias?.to_type(ScalarType.Float64);
        var qs = queryStatistics.to_type(ScalarType.Float64).to(q.device);
        var ks = keyStatistics.to_type(ScalarType.Float64).to(q.device);

        var queryBlocks = new Tensor[heads];
        var keyBlocks = new Tensor[keyValueHeads];
        var queryBiasBlocks = new Tensor[heads];
        var keyBiasBlocks = new Tensor[keyValueHeads];
        var spectra = new double[keyValueHeads][];
        var clamp = ClampReport.None;

        for (var j = 0; j < keyValueHeads; j++)
        {
            var (keySqrt, keyInverseSqrt, keyClamp) = SymmetricMatrixFunctions.SquareRoots(ks[j], relativeEpsilon);
            clamp = clamp.Combine(keyClamp);
            var queryInverseSqrts = new Tensor[groupSize];
            var querySqrts = new Tensor[groupSize];
            for (var m = 0; m < groupSize; m++)
            {
                var (querySqrt, queryInverseSqrt, queryClamp) = SymmetricMatrixFunctions.SquareRoots(qs[(j * groupSize) + m], relativeEpsilon);
                clamp = clamp.Combine(queryClamp);
                querySqrts[m] = querySqrt;
                queryInverseSqrts[m] = queryInverseSqrt;
            }

            // [C_{q,h1}^{1/2}; …; C_{q,hg}^{1/2}] C_k^{1/2} = U Σ Vᵀ: the shared right factor is the
            // key side, each row block of U the query side of its head.
            var stacked = cat(querySqrts, 0).matmul(keySqrt);
            var (u, sigma, vh) = linalg.svd(stacked, fullMatrices: false);
            spectra[j] = sigma.cpu().data<double>().ToArray();
            var rootSigma = sigma.narrow(0, 0, rank).sqrt().unsqueeze(1);

            // Rows of the new k_proj: (W_k C_k^{-1/2} V_r Σ_r^{1/2})ᵀ = Σ_r^{1/2} V_rᵀ C_k^{-1/2} W_kᵀ.
            var keyMap = rootSigma.mul(vh.narrow(0, 0, rank)).matmul(keyInverseSqrt);
            keyBlocks[j] = keyMap.matmul(k.narrow(0, (long)j * headDim, headDim));
            if (kb is not null)
            {
                keyBiasBlocks[j] = keyMap.matmul(kb.narrow(0, (long)j * headDim, headDim));
            }

            for (var m = 0; m < groupSize; m++)
            {
                var h = (j * groupSize) + m;
                var headU = u.narrow(0, (long)m * headDim, headDim).narrow(1, 0, rank);
                var queryMap = rootSigma.mul(headU.transpose(0, 1)).matmul(queryInverseSqrts[m]);
                queryBlocks[h] = queryMap.matmul(q.narrow(0, (long)h * headDim, headDim));
                if (qb is not null)
                {
                    queryBiasBlocks[h] = queryMap.matmul(qb.narrow(0, (long)h * headDim, headDim));
                }
            }
        }

        var weights = new QueryKeyWeights(
            cat(queryBlocks, 0).MoveToOuterDisposeScope(),
            cat(keyBlocks, 0).MoveToOuterDisposeScope(),
            qb is null ? null : cat(queryBiasBlocks, 0).MoveToOuterDisposeScope(),
            kb is null ? null : cat(keyBiasBlocks, 0).MoveToOuterDisposeScope());
        var relativeError = SpectrumErrors.RelativeDiscardedEnergy(spectra, rank);
        return new QkAnalyticalSolution(weights, rank, relativeError, spectra, clamp);
    }
}
