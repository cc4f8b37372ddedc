namespace A3.Compression.Solvers;

/// <summary>
/// The RoPE frequency pairs kept per key/value head, with the pair scores that produced them so
/// a budget allocator can price any other kept count without touching the statistics again.
/// </summary>
public sealed class QkRopeSelection
{
    private readonly double[][] descendingScores;
    private readonly double totalScore;

    internal QkRopeSelection(int heads, int keyValueHeads, int headDim, double[][] pairScores, int keptPairs)
    {
        Heads = heads;
        KeyValueHeads = keyValueHeads;
        HeadDim = headDim;
        PairScoresPerKeyValueHead = pairScores;
        KeptPairs = keptPairs;
        descendingScores = pairScores.Select(s => s.OrderByDescending(v => v).ToArray()).ToArray();
        totalScore = pairScores.Sum(s => s.Sum());
        PairsPerKeyValueHead = pairScores.Select(s => TopPairs(s, keptPairs)).ToArray();
        RelativeError = RelativeErrorFor(keptPairs);
    }

    /// <summary>Gets the number of query heads <c>H</c>.</summary>
    public int Heads { get; }

    /// <summary>Gets the number of key/value heads <c>Hkv</c>.</summary>
    public int KeyValueHeads { get; }

    /// <summary>Gets the original head dimension <c>dh</c> (twice the number of RoPE pairs).</summary>
    public int HeadDim { get; }

    /// <summary>Gets the number of pairs kept per key/value head; the new head dimension is twice this.</summary>
    public int KeptPairs { get; }

    /// <summary>
    /// Gets, per key/value head (shared by its query heads), the kept original pair indices in
    /// ascending order; these are also the <c>inv_freq</c> indices the runtime gathers.
    /// </summary>
    public int[][] PairsPerKeyValueHead { get; }

    /// <summary>
    /// Gets, per key/value head, the score <c>s_i = Σ_{h∈group} E‖q_{h,i}‖²·E‖k_{j,i}‖²</c> of every
    /// original pair <c>i</c> (index order).
    /// </summary>
    public double[][] PairScoresPerKeyValueHead { get; }

    /// <summary>
    /// Gets the relative error of this selection: dropped scores over all scores, summed over the
    /// key/value groups.
    /// </summary>
    public double RelativeError { get; }

    /// <summary>Computes the relative error the same scores give when keeping another number of pairs.</summary>
    /// <param name="keptPairs">Pairs kept per key/value head, <c>0 ≤ keptPairs ≤ dh/2</c>.</param>
    /// <returns>Dropped score over total score, 0 when all scores are 0.</returns>
    public double RelativeErrorFor(int keptPairs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keptPairs);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keptPairs, HeadDim / 2);
        if (totalScore <= 0)
        {
            return 0;
        }

        var dropped = descendingScores.Sum(s => s.Skip(keptPairs).Sum());
        return dropped / totalScore;
    }

    /// <summary>Selects another number of pairs from the same scores.</summary>
    /// <param name="keptPairs">Pairs kept per key/value head, <c>1 ≤ keptPairs ≤ dh/2</c>.</param>
    /// <returns>The new selection.</returns>
    public QkRopeSelection WithKeptPairs(int keptPairs)
    {
        QkRopeSelector.ValidateKeptPairs(keptPairs, HeadDim);
        return new QkRopeSelection(Heads, KeyValueHeads, HeadDim, PairScoresPerKeyValueHead, keptPairs);
    }

    private static int[] TopPairs(double[] scores, int keptPairs) =>
        Enumerable.Range(0, scores.Length)
            .OrderByDescending(i => scores[i])
            .ThenBy(i => i)
            .Take(keptPairs)
            .Order()
            .ToArray();
}
