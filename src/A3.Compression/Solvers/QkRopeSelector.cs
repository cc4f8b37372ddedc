using TorchSharp;
using static TorchSharp.torch;

namespace A3.Compression.Solvers;

/// <summary>
/// A3's QK compression for RoPE models: RoPE rotates each 2-D frequency pair on its own, so no
/// mixing across pairs survives and the solver keeps whole pairs (CUR-style selection) instead
/// of rotating the basis. Pairs follow the Hugging Face <c>rotate_half</c> layout: pair
/// <c>i &lt; dh/2</c> is dims <c>(i, i + dh/2)</c>.
/// </summary>
public static class QkRopeSelector
{
    /// <summary>
    /// Scores every pair of every key/value group and keeps the best <paramref name="keptPairs"/>
    /// per group (the same pairs for the key head and all its query heads, so the K cache stays
    /// shared). Ties go to the lower pair index.
    /// </summary>
    /// <param name="queryStatistics"><c>[H, dh, dh]</c>: per query head <c>E[q qᵀ]</c> before RoPE.</param>
    /// <param name="keyStatistics"><c>[Hkv, dh, dh]</c>: per key/value head <c>E[k kᵀ]</c> before RoPE.</param>
    /// <param name="keptPairs">Pairs to keep per key/value head, <c>1 ≤ keptPairs ≤ dh/2</c>.</param>
    /// <returns>The selection with its scores.</returns>
    public static QkRopeSelection Select(Tensor queryStatistics, Tensor keyStatistics, int keptPairs)
    {
        ArgumentNullException.ThrowIfNull(queryStatistics);
        ArgumentNullException.ThrowIfNull(keyStatistics);
        var (heads, keyValueHeads, headDim) = QkShapes.Validate(queryStatistics, keyStatistics);
        if (headDim % 2 != 0)
        {
            throw new ArgumentException($"RoPE needs an even head dimension, got {headDim}.", nameof(queryStatistics));
        }

        ValidateKeptPairs(keptPairs, headDim);
        var pairs = headDim / 2;
        var groupSize = heads / keyValueHeads;

        using var scope = NewDisposeScope();
        var queryEnergy = PairEnergies(queryStatistics, pairs).reshape(keyValueHeads, groupSize, pairs).sum(1);
        var keyEnergy = PairEnergies(keyStatistics, pairs);

        // Σ_h E‖q_{h,i}‖²·E‖k_{j,i}‖² factors as E‖k_{j,i}‖²·Σ_h E‖q_{h,i}‖².
        var scores = queryEnergy.mul(keyEnergy).cpu().contiguous();
        var flat = scores.data<double>().ToArray();
        var perGroup = Enumerable.Range(0, keyValueHeads)
            .Select(j => flat.AsSpan(j * pairs, pairs).ToArray())
            .ToArray();
        return new QkRopeSelection(heads, keyValueHeads, headDim, perGroup, keptPairs);
    }

    /// <summary>
    /// Removes the rows of the dropped pairs from q_proj/k_proj (and their biases). The new head
    /// of dimension <c>2m</c> keeps the <c>rotate_half</c> layout: dim <c>m</c> ← old dim
    /// <c>P[m]</c>, dim <c>m + |P|</c> ← old dim <c>P[m] + dh/2</c>.
    /// </summary>
    /// <param name="query"><c>q_proj.weight</c>, <c>[H·dh, d]</c>.</param>
    /// <param name="key"><c>k_proj.weight</c>, <c>[Hkv·dh, d]</c>.</param>
    /// <param name="queryBias"><c>q_proj.bias</c>, <c>[H·dh]</c>, or null.</param>
    /// <param name="keyBias"><c>k_proj.bias</c>, <c>[Hkv·dh]</c>, or null.</param>
    /// <param name="selection">The pairs to keep.</param>
    /// <returns>The float64 projections with head dimension <c>2·KeptPairs</c>.</returns>
    public static QueryKeyWeights Apply(Tensor query, Tensor key, Tensor? queryBias, Tensor? keyBias, QkRopeSelection selection)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(selection);
        var headDim = selection.HeadDim;
        QkShapes.ValidateProjections(query, key, queryBias, keyBias, selection.Heads, selection.KeyValueHeads, headDim);

        var groupSize = selection.Heads / selection.KeyValueHeads;
        var queryRows = new List<long>();
        var keyRows = new List<long>();
        for (var j = 0; j < selection.KeyValueHeads; j++)
        {
            var pairs = selection.PairsPerKeyValueHead[j];
            keyRows.AddRange(HeadRows(j, pairs, headDim));
            for (var h = j * groupSize; h < (j + 1) * groupSize; h++)
            {
                queryRows.AddRange(HeadRows(h, pairs, headDim));
            }
        }

        using var queryIndex = tensor(queryRows.ToArray(), device: query.device);
        using var keyIndex = tensor(keyRows.ToArray(), device: key.device);
        return new QueryKeyWeights(
            Gather(query, queryIndex),
            Gather(key, keyIndex),
            queryBias is null ? null : Gather(queryBias, queryIndex),
            keyBias is null ? null : Gather(keyBias, keyIndex));
    }

    /// <summary>Checks a kept pair count against the head dimension.</summary>
    internal static void ValidateKeptPairs(int keptPairs, int headDim)
    {
        if (keptPairs < 1 || keptPairs > headDim / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(keptPairs), keptPairs, $"Kept pairs must lie in [1, {headDim / 2}] for head dimension {headDim}.");
        }
    }

    private static Tensor PairEnergies(Tensor statistics, int pairs)
    {
        // E‖v_i‖² of the 2-D pair (i, i + dh/2) is the sum of the two diagonal entries.
        var diagonal = statistics.to_type(ScalarType.Float64).diagonal(0, 1, 2);
        // An explicit, disposed alpha of 1: TorchSharp's add(Tensor) converts it to a Scalar internally
        // and leaves it to the finalizer, which can free it while the native add still reads it.
        // The kernel is the same.
        using var one = 1.ToScalar();
        return diagonal.narrow(1, 0, pairs).add(diagonal.narrow(1, pairs, pairs), one);
    }

    private static IEnumerable<long> HeadRows(int head, int[] pairs, int headDim)
    {
        var offset = (long)head * headDim;
        return pairs.Select(p => offset + p).Concat(pairs.Select(p => offset + p + (headDim / 2)));
    }

    private static Tensor Gather(Tensor source, Tensor index)
    {
        using var scope = NewDisposeScope();
        return source.to_type(ScalarType.Float64).index_select(0, index).MoveToOuterDisposeScope();
    }
}
