namespace A3.Generation;

/// <summary>
/// Picks the next token from logits: greedy at temperature 0, otherwise a draw from
/// softmax(logits / T), restricted to the nucleus of probability <c>topP</c>, with a seeded generator.
/// Probabilities are computed in float64 on the CPU, so a seed gives the same tokens on any device and
/// in either runtime (A3.Runtime, A3.OnnxRuntime) for the same logits.
/// </summary>
public sealed class TokenSampler
{
    private readonly double temperature;
    private readonly double topP;
    private readonly Random random;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="temperature">0 for greedy decoding, otherwise a positive temperature.</param>
    /// <param name="seed">The seed of the draws.</param>
    /// <param name="topP">
    /// The nucleus: draws are made among the most probable tokens whose probabilities add up to at least
    /// this much (above 0, at most 1; 1 draws from the whole vocabulary).
    /// </param>
    /// <exception cref="InvalidSettingException">The temperature or top-p is out of range.</exception>
    public TokenSampler(double temperature, int seed, double topP = 1)
    {
        if (temperature < 0 || double.IsNaN(temperature))
        {
            throw new InvalidSettingException("temperature", $"must be 0 (greedy) or positive, got {temperature}");
        }

        if (!(topP > 0 && topP <= 1))
        {
            throw new InvalidSettingException("top_p", $"must be above 0 and at most 1, got {topP}");
        }

        this.temperature = temperature;
        this.topP = topP;
        random = new Random(seed);
    }

    /// <summary>Returns the chosen token id.</summary>
    /// <param name="logits">The logits over the vocabulary.</param>
    /// <returns>The id.</returns>
    public int Sample(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty)
        {
            throw new ArgumentException("there must be at least one logit", nameof(logits));
        }

        int best = 0;
        for (int i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        if (temperature == 0)
        {
            return best;
        }

        var weights = new double[logits.Length];
        double total = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            weights[i] = Math.Exp((logits[i] - logits[best]) / temperature);
            total += weights[i];
        }

        // The whole vocabulary keeps the draw sequence of samplers made before top-p existed.
        return topP < 1 ? DrawFromNucleus(weights, total, best) : Draw(weights, total, best);
    }

    private int Draw(double[] weights, double total, int best)
    {
        double draw = random.NextDouble() * total;
        for (int i = 0; i < weights.Length; i++)
        {
            draw -= weights[i];
            if (draw < 0)
            {
                return i;
            }
        }

        return best;
    }

    private int DrawFromNucleus(double[] weights, double total, int best)
    {
        // Most probable first, ties by id, so the nucleus does not depend on the sort's stability.
        var order = Enumerable.Range(0, weights.Length).OrderByDescending(i => weights[i]).ThenBy(i => i).ToArray();
        double kept = 0;
        int count = 0;
        while (count < order.Length && (count == 0 || kept < topP * total))
        {
            kept += weights[order[count]];
            count++;
        }

        double draw = random.NextDouble() * kept;
        for (int k = 0; k < count; k++)
        {
            draw -= weights[order[k]];
            if (draw < 0)
            {
                return order[k];
            }
        }

        return best;
    }
}
