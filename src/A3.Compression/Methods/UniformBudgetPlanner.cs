using A3.Compression.Budget;
using A3.Compression.Solvers;
using A3.Recipes;

namespace A3.Compression.Methods;

/// <summary>Spends a budget by removing the same fraction of every component of every layer.</summary>
public sealed class UniformBudgetPlanner : BudgetPlanner
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="budget">The fraction of decoder-linear parameters to remove, in (0, 1).</param>
    /// <param name="roundTo">Kept head dims and intermediate sizes are multiples of this.</param>
    /// <exception cref="InvalidSettingException">The budget is outside (0, 1) or the rounding is below 1.</exception>
    public UniformBudgetPlanner(double budget, int roundTo = CompressionSection.DefaultRoundTo)
        : base(budget, roundTo)
    {
    }

    /// <inheritdoc />
    public override RecipeAllocation Allocation => RecipeAllocation.Uniform;

    /// <inheritdoc />
    public override CompressionPlan Plan(CompressionContext context, MlpSelector mlpSelector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return UniformPlanner.ForBudget(context.Config, Budget, RoundTo);
    }
}
