namespace A3.Compression.Calibration;

/// <summary>
/// The SplitMix64 generator (Steele, Lea and Flood, 2014). Used instead of <see cref="Random"/>,
/// whose sequence for a seed is not promised across .NET versions: calibration windows must be the
/// same bit for bit on every machine.
/// </summary>
internal sealed class SplitMix64
{
    private ulong state;

    /// <summary>Initializes a new instance with <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => state = seed;

    /// <summary>Returns the next 64 random bits.</summary>
    public ulong Next()
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Returns a uniform integer in <c>[0, bound)</c>, without modulo bias (Lemire's multiply-and-reject).</summary>
    public ulong NextBelow(ulong bound)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bound);
        var high = Math.BigMul(Next(), bound, out var low);
        if (low < bound)
        {
            var threshold = (0UL - bound) % bound;
            while (low < threshold)
            {
                high = Math.BigMul(Next(), bound, out low);
            }
        }

        return high;
    }
}
