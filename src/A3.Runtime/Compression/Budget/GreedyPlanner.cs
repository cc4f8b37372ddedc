using A3.Runtime.Model;

namespace A3.Runtime.Compression.Budget;

/// <summary>
/// Mixed-rank allocation: starting from the full model, repeatedly takes the one rounding step
/// (of any component of any layer) that adds the least relative error per parameter removed,
/// until the budget is met. The error curves come from the solvers' analytical spectra.
/// </summary>
public static class GreedyPlanner
{
    /// <summary>Plans a removal of at least <paramref name="budget"/> of the decoder-linear parameters.</summary>
    /// <param name="config">The original model.</param>
    /// <param name="budget">Fraction of decoder-linear parameters to remove.</param>
    /// <param name="roundTo">Rounding of kept sizes (see <see cref="UniformPlanner.FromRatios"/>).</param>
    /// <param name="curves">The error curve of a layer's component.</param>
    public static CompressionPlan Plan(ModelConfig config, double budget, int roundTo, Func<int, A3Component, IErrorCurve> curves)
    {
        CompressionBudget.Validate(budget);
        var steps = Steps.Of(config, roundTo);
        var plan = CompressionPlan.Full(config);
        var layers = plan.Layers.ToArray();
        var cache = new Dictionary<(int, A3Component), IErrorCurve>();
        IErrorCurve Curve(int layer, A3Component component) =>
            cache.TryGetValue((layer, component), out var curve) ? curve : cache[(layer, component)] = curves(layer, component);

        long original = Inspection.ModelFootprint.Compute(config, 4, 1).DecoderLinearParameters;
        long target = (long)Math.Ceiling(budget * original);
        long removed = 0;
        var queue = new PriorityQueue<Candidate, (double Cost, int Layer, int Component)>();
        for (int i = 0; i < layers.Length; i++)
        {
            foreach (var component in Enum.GetValues<A3Component>())
            {
                Enqueue(queue, config, layers, i, component, steps, Curve);
            }
        }

        while (removed < target && queue.TryDequeue(out var candidate, out _))
        {
            if (layers[candidate.Layer].Kept(candidate.Component) != candidate.From)
            {
                continue;
            }

            layers[candidate.Layer] = layers[candidate.Layer].With(candidate.Component, candidate.To);
            removed += candidate.Parameters;
            Enqueue(queue, config, layers, candidate.Layer, candidate.Component, steps, Curve);
        }

        return new CompressionPlan(layers);
    }

    private static void Enqueue(
        PriorityQueue<Candidate, (double, int, int)> queue,
        ModelConfig config,
        LayerPlan[] layers,
        int layer,
        A3Component component,
        Steps steps,
        Func<int, A3Component, IErrorCurve> curve)
    {
        int kept = layers[layer].Kept(component);
        int total = component switch
        {
            A3Component.Qk => config.OriginalHeadDim / 2,
            A3Component.Ov => config.OriginalHeadDim,
            _ => config.IntermediateSize,
        };
        if (RoundingGrid.Smaller(kept, total, steps.For(component)) is not int smaller)
        {
            return;
        }

        long parameters = LayerParameters(config, layers[layer]) - LayerParameters(config, layers[layer].With(component, smaller));
        var errors = curve(layer, component);
        double addedError = Math.Max(0, errors.RelativeError(smaller) - errors.RelativeError(kept));

        // Ties (for example zero-error steps) go to lower layers and components first, deterministically.
        queue.Enqueue(new Candidate(layer, component, kept, smaller, parameters), (addedError / parameters, layer, (int)component));
    }

    private static long LayerParameters(ModelConfig config, LayerPlan plan)
    {
        var single = new CompressionPlan([plan]).Apply(config with { NumLayers = 1, Layers = [config.Layers[0]] });
        return Inspection.ModelFootprint.Compute(single, 4, 1).DecoderLinearParameters;
    }

    private sealed record Candidate(int Layer, A3Component Component, int From, int To, long Parameters);
}
