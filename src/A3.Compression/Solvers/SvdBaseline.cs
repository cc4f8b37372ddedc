using A3.Runtime;
using TorchSharp;

namespace A3.Compression.Solvers;

/// <summary>
/// Baseline: plain truncated SVD of one linear layer, factorised into two thinner layers. By
/// Eckart–Young it minimises <c>||W − BA||_F</c>, ignoring what the layer's inputs look like.
/// </summary>
public static class SvdBaseline
{
    /// <summary>
    /// Rank a factorised <c>[out, in]</c> layer keeps at a parameter ratio: the method document's
    /// <c>k = ⌊(1 − ratio)·out·in/(out + in)⌋</c>, at least 1, so <c>k·(out + in)</c> parameters
    /// replace <c>out·in</c>. A 1e-9 slack keeps products that are whole in exact arithmetic
    /// from rounding down.
    /// </summary>
    /// <param name="outFeatures">Rows of the weight.</param>
    /// <param name="inFeatures">Columns of the weight.</param>
    /// <param name="ratio">Fraction of the layer's parameters to remove, in [0, 1).</param>
    /// <returns>The rank.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The ratio is outside [0, 1).</exception>
    public static int RankForRatio(long outFeatures, long inFeatures, double ratio)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        if (!(ratio >= 0 && ratio < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "a compression ratio must be in [0, 1)");
        }

        var rank = Math.Floor(((1 - ratio) * outFeatures * inFeatures / (outFeatures + inFeatures)) + 1e-9);
        return (int)Math.Max(1, rank);
    }

    /// <summary>
    /// Truncates <c>W = U Σ Vᵀ</c> to rank k and splits <c>Σ</c> evenly,
    /// <c>B = U_k Σ_k^{1/2}</c>, <c>A = Σ_k^{1/2} V_kᵀ</c>, so both factors have the same scale
    /// (which keeps them well inside half-precision range).
    /// </summary>
    /// <param name="weight"><c>[out, in]</c>.</param>
    /// <param name="rank">k, 1 to min(out, in).</param>
    /// <returns>The factors; the error is relative to <c>||W||_F²</c>.</returns>
    public static LowRankFactors Factorize(torch.Tensor weight, int rank)
    {
        CheckRank(weight, rank);
        using var scope = torch.NewDisposeScope();
        var (u, s, vh) = torch.linalg.svd(weight.to(torch.float64), fullMatrices: false);
        var (a, b) = Split(u, s, vh, rank);
        var spectrum = s.cpu().data<double>().ToArray();
        return new LowRankFactors(
            a.to(weight.dtype).MoveToOuterDisposeScope(),
            b.to(weight.dtype).MoveToOuterDisposeScope(),
            spectrum,
            LowRankFactors.DiscardedFraction(spectrum, rank),
            0);
    }

    /// <summary>Checks a weight is a matrix and <paramref name="rank"/> is in [1, min(out, in)].</summary>
    internal static void CheckRank(torch.Tensor weight, int rank)
    {
        if (weight.ndim != 2)
        {
            throw new ArgumentException($"A weight must be [out, in]; got [{string.Join(", ", weight.shape)}].", nameof(weight));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rank, Math.Min(weight.shape[0], weight.shape[1]));
    }

    /// <summary><c>B = U_k Σ_k^{1/2}</c> <c>[out, k]</c> and <c>A = Σ_k^{1/2} V_kᵀ</c> <c>[k, in]</c>, in the caller's dispose scope.</summary>
    internal static (torch.Tensor A, torch.Tensor B) Split(torch.Tensor u, torch.Tensor s, torch.Tensor vh, int rank)
    {
        var root = s.narrow(0, 0, rank).sqrt();
        var b = u.narrow(1, 0, rank) * root.unsqueeze(0);
        var a = vh.narrow(0, 0, rank) * root.unsqueeze(1);
        return (a, b);
    }
}
