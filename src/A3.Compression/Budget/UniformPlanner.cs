using A3.Recipes;
using A3.Runtime;
using A3.Runtime.Model;

namespace A3.Compression.Budget;

/// <summary>Plans that remove the same fraction of every component (or given per-component ratios).</summary>
internal static class UniformPlanner
{
    /// <summary>Applies explicit ratios, with per-layer overrides, rounded to <paramref name="roundTo"/>.</summary>
    /// <param name="config">The original model.</param>
    /// <param name="ratios">The model-wide ratios.</param>
    /// <param name="overrides">Ratios for layer ranges; later entries win.</param>
    /// <param name="roundTo">Kept head dims and intermediate sizes are multiples of this (query/key dims count both halves of a pair).</param>
    public static CompressionPlan FromRatios(ModelConfig config, ComponentRatios ratios, IReadOnlyList<LayerRatioOverride> overrides, int roundTo)
    {
        ratios.Validate();
        foreach (var range in overrides)
        {
            range.Ratios.Validate();
            if (range.First < 0 || range.Last >= config.NumLayers || range.First > range.Last)
            {
                throw new InvalidSettingException(RecipeKeys.CompressionOverrides, $"has layers {range.First}-{range.Last}, outside the model's layers 0-{config.NumLayers - 1}");
            }
        }

        var steps = Steps.Of(config, roundTo);
        var layers = new LayerPlan[config.NumLayers];
        for (int i = 0; i < config.NumLayers; i++)
        {
            var r = overrides.LastOrDefault(range => range.First <= i && i <= range.Last)?.Ratios ?? ratios;
            layers[i] = new LayerPlan(
                RoundingGrid.Keep(config.OriginalHeadDim / 2, r.Qk, steps.Pairs),
                RoundingGrid.Keep(config.OriginalHeadDim, r.Ov, steps.HeadDim),
                RoundingGrid.Keep(config.IntermediateSize, r.Mlp, steps.Intermediate));
        }

        return new CompressionPlan(layers);
    }

    /// <summary>
    /// Finds the single ratio, applied to all three components of every layer, whose rounded plan
    /// removes the fraction of decoder-linear parameters closest to <paramref name="budget"/>.
    /// </summary>
    public static CompressionPlan ForBudget(ModelConfig config, double budget, int roundTo)
    {
        CompressionBudget.Validate(budget);
        CompressionPlan? best = null;
        double bestDistance = double.MaxValue;
        for (int permille = 0; permille < 1000; permille++)
        {
            double ratio = permille / 1000.0;
            var plan = FromRatios(config, new ComponentRatios(ratio, ratio, ratio), [], roundTo);
            double distance = Math.Abs(plan.RemovedFraction(config) - budget);
            if (distance < bestDistance - 1e-12)
            {
                best = plan;
                bestDistance = distance;
            }
        }

        return best!;
    }
}
