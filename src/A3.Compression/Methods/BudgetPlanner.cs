using System.Globalization;
using A3.Compression.Budget;
using A3.Compression.Solvers;
using A3.Recipes;

namespace A3.Compression.Methods;

/// <summary>An A3 planner that spends a budget: a fraction of the decoder-linear parameters, allocated as <see cref="Allocation"/> says.</summary>
public abstract class BudgetPlanner : IA3Planner
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="budget">The fraction of decoder-linear parameters to remove, in (0, 1).</param>
    /// <param name="roundTo">Kept head dims and intermediate sizes are multiples of this.</param>
    /// <exception cref="InvalidSettingException">The budget is outside (0, 1) or the rounding is below 1.</exception>
    protected BudgetPlanner(double budget, int roundTo)
    {
        CompressionBudget.Validate(budget);
        Steps.ValidateRoundTo(roundTo);
        Budget = budget;
        RoundTo = roundTo;
    }

    /// <summary>Gets the fraction of decoder-linear parameters to remove.</summary>
    public double Budget { get; }

    /// <summary>Gets the rounding of kept sizes.</summary>
    public int RoundTo { get; }

    /// <summary>Gets how the budget is spread over layers and components, as recipes name it.</summary>
    public abstract RecipeAllocation Allocation { get; }

    /// <inheritdoc />
    public string Target => string.Create(CultureInfo.InvariantCulture, $"budget {Budget} ({RecipeNames.Of(Allocation)})");

    /// <inheritdoc />
    public abstract CompressionPlan Plan(CompressionContext context, MlpSelector mlpSelector, CancellationToken cancellationToken);
}
