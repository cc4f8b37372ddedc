namespace A3.Runtime.Benchmarks;

/// <summary>One model's measured inference speed.</summary>
/// <param name="PrefillTokensPerSecond">Per prompt length, its tokens over the seconds of its prefill.</param>
/// <param name="DecodeTokensPerSecond">Generated tokens per second of the decode loop (one token per forward, with the cache).</param>
public sealed record InferenceMeasurement(IReadOnlyDictionary<int, double> PrefillTokensPerSecond, double DecodeTokensPerSecond)
{
    /// <summary>Returns, figure by figure, the faster of this and <paramref name="other"/>: a repeat on a shared machine is only ever slowed down.</summary>
    /// <param name="other">Another measurement of the same model with the same options.</param>
    /// <returns>The per-figure maximum.</returns>
    public InferenceMeasurement Fastest(InferenceMeasurement other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var prefill = PrefillTokensPerSecond.ToDictionary(entry => entry.Key, entry => Math.Max(entry.Value, other.PrefillTokensPerSecond[entry.Key]));
        return new InferenceMeasurement(prefill, Math.Max(DecodeTokensPerSecond, other.DecodeTokensPerSecond));
    }
}
