namespace A3.Runtime.Generation;

/// <summary>
/// Picks the next token from logits: greedy at temperature 0, otherwise a draw from
/// softmax(logits / T) with a seeded generator. Probabilities are computed in float64 on the
/// CPU, so a seed gives the same tokens on any device for the same logits.
/// </summary>
public sealed class TokenSampler
{
    private readonly double temperature;
    private readonly Random random;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="temperature">0 for greedy decoding, otherwise a positive temperature.</param>
    /// <param name="seed">The seed of the draws.</param>
    public TokenSampler(double temperature, int seed)
    {
        if (temperature < 0 || double.IsNaN(temperature))
        {
            throw new InvalidSettingException("temperature", $"must be 0 (greedy) or positive, got {temperature}");
        }

        this.temperature = temperature;
        random = new Random(seed);
    }

    /// <summary>Returns the chosen token id.</summary>
    public int Sample(ReadOnlySpan<float> logits)
    {
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
}
