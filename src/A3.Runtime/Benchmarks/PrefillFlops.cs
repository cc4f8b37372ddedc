using A3.Runtime.Inspection;
using A3.Runtime.Model;

namespace A3.Runtime.Benchmarks;

/// <summary>
/// The FLOPs of a causal prefill, counted as <see cref="ModelFootprint"/> counts a token's: position <c>p</c> (from 0)
/// of a window attends to <c>p + 1</c> positions, so a window of <c>T</c> tokens costs
/// <c>Σ_{p=1..T} F(p)</c> with <c>F</c> the FLOPs per token at context <c>p</c>.
/// </summary>
/// <remarks>
/// <see cref="ModelFootprint.FlopsPerToken"/> is linear in the context (the linear layers and LM head, plus attention
/// scores and weighted values per attended position), so the sum is <c>T·F(1) + (F(2) − F(1))·T(T − 1)/2</c>. It is the
/// useful work: a kernel that computes the whole <c>T × T</c> score matrix and masks half of it does more.
/// </remarks>
internal static class PrefillFlops
{
    /// <summary>Returns the FLOPs of <paramref name="windows"/> windows of <paramref name="sequenceLength"/> tokens.</summary>
    public static double Of(ModelConfig config, int windows, int sequenceLength) =>
        Sum(config, windows, sequenceLength, footprint => footprint.FlopsPerToken);

    /// <summary>Returns the FLOPs of layer <paramref name="index"/> alone (no embedding, no LM head) over the same windows.</summary>
    public static double OfLayer(ModelConfig config, int index, int windows, int sequenceLength) =>
        Sum(config, windows, sequenceLength, footprint => footprint.Layers[index].FlopsPerToken);

    private static double Sum(ModelConfig config, int windows, int sequenceLength, Func<ModelFootprint, long> perToken)
    {
        double atOne = perToken(ModelFootprint.Compute(config, sizeof(float), 1));
        double perPosition = perToken(ModelFootprint.Compute(config, sizeof(float), 2)) - atOne;
        double length = sequenceLength;
        return windows * ((length * atOne) + (perPosition * length * (length - 1) / 2));
    }
}
