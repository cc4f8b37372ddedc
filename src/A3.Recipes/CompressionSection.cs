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

    /// <summary>The default <see cref="Allocation"/>.</summary>
    public const RecipeAllocation DefaultAllocation = RecipeAllocation.Uniform;

    /// <summary>The default <see cref="RoundTo"/>: no rounding.</summary>
    public const int DefaultRoundTo = 1;

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

    /// <summary>Gets or sets how a budget is allocated (greedy needs a budget and A3).</summary>
    [Description("uniform or greedy; greedy needs a budget and the a3 method.")]
    public RecipeAllocation Allocation { get; set; } = DefaultAllocation;

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

    /// <summary>Gets a value indicating whether any of <see cref="Qk"/>, <see cref="Ov"/> and <see cref="Mlp"/> is set.</summary>
    /// <returns><see langword="true"/> when the recipe gives explicit ratios.</returns>
    public bool HasRatios() => Qk.HasValue || Ov.HasValue || Mlp.HasValue;
}
