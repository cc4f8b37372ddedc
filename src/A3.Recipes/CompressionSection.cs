using System.Collections.Generic;
using System.ComponentModel;

namespace A3.Recipes;

/// <summary>
/// How a recipe compresses: the method and either explicit per-component ratios (A3 only) or a
/// parameter budget, never both.
/// </summary>
[Description("The compression method and target: qk/ov/mlp ratios (A3 only) or a budget, never both.")]
public sealed class CompressionSection
{
    /// <summary>The default <see cref="Method"/>.</summary>
    public const RecipeMethod DefaultMethod = RecipeMethod.A3;

    /// <summary>
    /// How an A3 budget is allocated when the recipe names no <see cref="Allocation"/>: <c>search</c>, which beat
    /// uniform and greedy at every budget in- and out-of-domain (docs/RESULTS.md). Baselines always allocate uniformly.
    /// </summary>
    public const RecipeAllocation DefaultAllocation = RecipeAllocation.Search;

    /// <summary>The default <see cref="RoundTo"/>: no rounding.</summary>
    public const int DefaultRoundTo = 1;

    /// <summary>The default <see cref="SearchLevels"/>.</summary>
    public const int DefaultSearchLevels = 16;

    /// <summary>The default <see cref="SearchEvaluations"/>.</summary>
    public const int DefaultSearchEvaluations = 64;

    /// <summary>The default <see cref="MlpSelector"/>.</summary>
    public const RecipeMlpSelector DefaultMlpSelector = RecipeMlpSelector.PivotedCholesky;

    /// <summary>The default <see cref="Sequential"/>: calibrate on the already-compressed layers.</summary>
    public const bool DefaultSequential = true;

    /// <summary>Gets or sets the method.</summary>
    [Description("a3, svd or svd-llm (the last two are baselines and take a budget).")]
    public RecipeMethod Method { get; set; } = DefaultMethod;

    /// <summary>Gets or sets the fraction of the query/key head dim to remove, in [0, 1).</summary>
    [Description("Fraction of the query/key head dim to remove, in [0, 1).")]
    public double? Qk { get; set; }

    /// <summary>Gets or sets the fraction of the value head dim to remove, in [0, 1).</summary>
    [Description("Fraction of the value head dim to remove, in [0, 1).")]
    public double? Ov { get; set; }

    /// <summary>Gets or sets the fraction of the MLP intermediate size to remove, in [0, 1).</summary>
    [Description("Fraction of the MLP intermediate size to remove, in [0, 1).")]
    public double? Mlp { get; set; }

    /// <summary>Gets or sets the fraction of decoder-linear parameters to remove, in (0, 1), instead of ratios.</summary>
    [Description("Fraction of decoder-linear parameters to remove, in (0, 1), instead of qk/ov/mlp.")]
    public double? Budget { get; set; }

    /// <summary>
    /// Gets or sets how a budget is allocated over layers and components; <see langword="null"/> for the method's
    /// default (<see cref="AllocationOrDefault"/>). Greedy and search need a budget and A3.
    /// </summary>
    [Description("uniform, greedy or search; greedy and search need a budget and the a3 method. Default: search for an a3 budget, uniform otherwise.")]
    public RecipeAllocation? Allocation { get; set; }

    /// <summary>Gets or sets the multiple kept head dims and intermediate sizes are rounded to (1 or more).</summary>
    [Description("Kept head dims and intermediate sizes are multiples of this; 1 or more.")]
    public int RoundTo { get; set; } = DefaultRoundTo;

    /// <summary>Gets or sets per-layer ratio overrides (with ratios only); a later entry wins where layers overlap.</summary>
    [Description("Per-layer ratio overrides (with qk/ov/mlp only).")]
    public List<LayerOverride> Overrides { get; set; } = new();

    /// <summary>Gets or sets the MLP neuron selector.</summary>
    [Description("pivoted-cholesky or importance.")]
    public RecipeMlpSelector MlpSelector { get; set; } = DefaultMlpSelector;

    /// <summary>Gets or sets whether each layer is calibrated on the already-compressed layers below it (<see langword="true"/>) or on the original model's activations.</summary>
    [Description("Calibrate each layer on the already-compressed layers below it (true) or on the original model (false).")]
    public bool Sequential { get; set; } = DefaultSequential;

    /// <summary>Gets or sets how many sizes the <c>search</c> allocation compares per component of every layer (2 or more); its cost grows with it.</summary>
    [Description("Sizes the search allocation compares per component; 2 or more.")]
    public int SearchLevels { get; set; } = DefaultSearchLevels;

    /// <summary>Gets or sets how many whole plans the <c>search</c> allocation measures at most after its knapsack (1 or more); caps its cost.</summary>
    [Description("Whole plans the search allocation measures at most; 1 or more.")]
    public int SearchEvaluations { get; set; } = DefaultSearchEvaluations;

    /// <summary>Gets a value indicating whether any of <see cref="Qk"/>, <see cref="Ov"/> and <see cref="Mlp"/> is set.</summary>
    /// <returns><see langword="true"/> when the recipe gives explicit ratios.</returns>
    public bool HasRatios() => Qk.HasValue || Ov.HasValue || Mlp.HasValue;

    /// <summary>
    /// Gets the allocation the recipe runs with: <see cref="Allocation"/> when set, otherwise
    /// <see cref="DefaultAllocation"/> for an A3 budget and <see cref="RecipeAllocation.Uniform"/> for everything else
    /// (the baselines' only allocation; ratios allocate nothing).
    /// </summary>
    /// <returns>The allocation in effect.</returns>
    public RecipeAllocation AllocationOrDefault() =>
        Allocation ?? (Method == RecipeMethod.A3 && Budget.HasValue ? DefaultAllocation : RecipeAllocation.Uniform);
}
