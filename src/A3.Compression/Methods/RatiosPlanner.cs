using System.Globalization;
using A3.Compression.Budget;
using A3.Compression.Solvers;
using A3.Recipes;

namespace A3.Compression.Methods;

/// <summary>Explicit per-component ratios, the same in every layer but for per-layer overrides.</summary>
public sealed class RatiosPlanner : IA3Planner
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="ratios">The model-wide fractions of each component to remove.</param>
    /// <param name="overrides">Ratios for layer ranges; later entries win.</param>
    /// <param name="roundTo">Kept head dims and intermediate sizes are multiples of this.</param>
    /// <exception cref="InvalidSettingException">A ratio is outside [0, 1) or the rounding is below 1.</exception>
    public RatiosPlanner(ComponentRatios ratios, IReadOnlyList<LayerRatioOverride>? overrides = null, int roundTo = CompressionSection.DefaultRoundTo)
    {
        ArgumentNullException.ThrowIfNull(ratios);
        ratios.Validate();
        Steps.ValidateRoundTo(roundTo);
        Ratios = ratios;
        Overrides = overrides ?? [];
        RoundTo = roundTo;
    }

    /// <summary>Gets the model-wide ratios.</summary>
    public ComponentRatios Ratios { get; }

    /// <summary>Gets the per-layer overrides.</summary>
    public IReadOnlyList<LayerRatioOverride> Overrides { get; }

    /// <summary>Gets the rounding of kept sizes.</summary>
    public int RoundTo { get; }

    /// <inheritdoc />
    public string Target => string.Create(
        CultureInfo.InvariantCulture,
        $"ratios qk {Ratios.Qk} ov {Ratios.Ov} mlp {Ratios.Mlp}{(Overrides.Count > 0 ? $" with {Overrides.Count} layer overrides" : string.Empty)}");

    /// <inheritdoc />
    public CompressionPlan Plan(CompressionContext context, MlpSelector mlpSelector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return UniformPlanner.FromRatios(context.Config, Ratios, Overrides, RoundTo);
    }
}
