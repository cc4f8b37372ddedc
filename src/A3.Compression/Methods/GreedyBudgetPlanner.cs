using A3.Compression.Budget;
using A3.Compression.Solvers;
using A3.Recipes;

namespace A3.Compression.Methods;

/// <summary>
/// Spends a budget with mixed ranks across layers: each component gives up the uniform plan's parameters,
/// taken where the solvers' analytical error curves say they cost least (<see cref="GreedyPlanner"/>).
/// </summary>
public sealed class GreedyBudgetPlanner : BudgetPlanner
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="budget">The fraction of decoder-linear parameters to remove, in (0, 1).</param>
    /// <param name="roundTo">Kept head dims and intermediate sizes are multiples of this.</param>
    /// <exception cref="InvalidSettingException">The budget is outside (0, 1) or the rounding is below 1.</exception>
    public GreedyBudgetPlanner(double budget, int roundTo = CompressionSection.DefaultRoundTo)
        : base(budget, roundTo)
    {
    }

    /// <inheritdoc />
    public override RecipeAllocation Allocation => RecipeAllocation.Greedy;

    /// <inheritdoc />
    public override CompressionPlan Plan(CompressionContext context, MlpSelector mlpSelector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Every layer's error curves are needed before any layer is compressed, so they come from one pass over
        // the original model (sequential statistics would depend on the plan itself). A statistics cache serves
        // that pass to later runs of any budget.
        var curves = new Dictionary<(int, A3Component), IErrorCurve>();
        context.VisitOriginalLayers(
            "plan: error curves",
            (layer, weights, statistics) =>
            {
                foreach (var (component, curve) in ErrorCurveBuilder.Build(context.Config, weights, statistics, mlpSelector, cancellationToken))
                {
                    curves[(layer, component)] = curve;
                }
            },
            cancellationToken);
        return GreedyPlanner.Plan(context.Config, Budget, RoundTo, (layer, component) => curves[(layer, component)]);
    }
}
