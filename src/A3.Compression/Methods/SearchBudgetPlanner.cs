using System.Diagnostics;
using A3.Compression.Budget;
using A3.Compression.Search;
using A3.Compression.Solvers;
using A3.Recipes;
using A3.Runtime.Inspection;
using A3.Runtime.Reporting;

namespace A3.Compression.Methods;

/// <summary>
/// Spends a budget where it costs least end to end: every size of every component of every layer is compared on one
/// measured scale, the mean KL divergence from the original model's next-token distribution on the selection
/// windows. A sensitivity table (each change alone), a knapsack over it, then a bounded local search over whole
/// plans (<see cref="BudgetSearch"/>). Its cost, in forward passes of the model over the selection windows, is
/// <c>(n_qk + n_ov + n_mlp − 2) · (L + 1) / 2</c> for the table (a size measured at layer ℓ re-runs the layers from ℓ
/// up; <c>n</c> is each component's number of sizes, at most <see cref="Levels"/>) plus at most
/// <see cref="MaxEvaluations"/> for the search; a budget change with the table in the statistics cache pays only
/// the search.
/// </summary>
public sealed class SearchBudgetPlanner : BudgetPlanner
{
    /// <summary>The default number of sizes compared per component.</summary>
    public const int DefaultLevels = 16;

    /// <summary>The default number of whole plans the local search measures at most.</summary>
    public const int DefaultEvaluations = 64;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="budget">The fraction of decoder-linear parameters to remove, in (0, 1).</param>
    /// <param name="roundTo">Kept head dims and intermediate sizes are multiples of this.</param>
    /// <param name="levels">Sizes compared per component (at least 2: the full size and one smaller).</param>
    /// <param name="maxEvaluations">Whole plans the local search measures at most (1: the knapsack's plan alone).</param>
    /// <exception cref="InvalidSettingException">The budget is outside (0, 1) or the rounding is below 1.</exception>
    public SearchBudgetPlanner(double budget, int roundTo = CompressionSection.DefaultRoundTo, int levels = DefaultLevels, int maxEvaluations = DefaultEvaluations)
        : base(budget, roundTo)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvaluations, 1);
        Levels = levels;
        MaxEvaluations = maxEvaluations;
    }

    /// <inheritdoc />
    public override RecipeAllocation Allocation => RecipeAllocation.Search;

    /// <summary>Gets the number of sizes compared per component.</summary>
    public int Levels { get; }

    /// <summary>Gets the number of whole plans the local search measures at most.</summary>
    public int MaxEvaluations { get; }

    /// <inheritdoc />
    public override CompressionPlan Plan(CompressionContext context, MlpSelector mlpSelector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        var objective = context.SelectionObjective(cancellationToken);
        var start = objective.LayerForwards;
        using var search = new BudgetSearch(context, objective, mlpSelector);
        search.MeasureSensitivities(RoundTo, Levels, cancellationToken);
        var total = ModelFootprint.Compute(context.Config, 4, 1).DecoderLinearParameters;
        var plan = search.Search((long)Math.Ceiling(Budget * total), MaxEvaluations, context.Progress, cancellationToken);
        var forwards = (objective.LayerForwards - start) / (double)context.Config.NumLayers;
        context.Allocation = new AllocationOutcome(
            RecipeNames.Of(Allocation),
            search.Objective,
            new AllocationRunFacts(search.SensitivitiesReused, search.Measurements, search.Evaluations, forwards, clock.Elapsed.TotalSeconds));
        return plan;
    }
}
