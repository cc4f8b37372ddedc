using A3.Runtime;
using A3.Compression.Budget;
using A3.Compression.Solvers;
using TorchSharp;

namespace A3.Compression;

/// <summary>What to compress and how. Exactly one of <see cref="Ratios"/> and <see cref="Budget"/> is set.</summary>
public sealed record CompressionOptions
{
    /// <summary>Gets the method.</summary>
    public CompressionMethod Method { get; init; } = CompressionMethod.A3;

    /// <summary>Gets explicit per-component ratios (A3 only).</summary>
    public ComponentRatios? Ratios { get; init; }

    /// <summary>Gets per-layer ratio overrides (with <see cref="Ratios"/>).</summary>
    public IReadOnlyList<LayerRatioOverride> Overrides { get; init; } = [];

    /// <summary>Gets the fraction of decoder-linear parameters to remove.</summary>
    public double? Budget { get; init; }

    /// <summary>Gets how an A3 budget is allocated.</summary>
    public BudgetAllocation Allocation { get; init; } = BudgetAllocation.Uniform;

    /// <summary>Gets the multiple kept head dims and intermediate sizes are rounded to.</summary>
    public int RoundTo { get; init; } = 1;

    /// <summary>Gets whether layer ℓ is calibrated on the outputs of the already-compressed layers below it (the default), or on the original model's.</summary>
    public bool Sequential { get; init; } = true;

    /// <summary>Gets the MLP neuron selector.</summary>
    public MlpSelector MlpSelector { get; init; } = MlpSelector.PivotedCholesky;

    /// <summary>Gets the device statistics and solvers run on.</summary>
    public torch.Device Device { get; init; } = torch.CPU;

    /// <summary>Gets the dtype the layers run in while collecting statistics (statistics accumulate in float64 regardless).</summary>
    public torch.ScalarType ComputeType { get; init; } = torch.ScalarType.Float32;

    /// <summary>Gets the number of calibration sequences per forward pass.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Describes the target for the report, e.g. <c>budget 0.1 (greedy)</c>.</summary>
    public string DescribeTarget() => Budget is double budget
        ? $"budget {budget} ({(Method == CompressionMethod.A3 ? Allocation.ToString().ToLowerInvariant() : "uniform")})"
        : $"ratios qk {Ratios!.Qk} ov {Ratios.Ov} mlp {Ratios.Mlp}{(Overrides.Count > 0 ? $" with {Overrides.Count} layer overrides" : string.Empty)}";

    /// <summary>Throws an input error when the options contradict each other.</summary>
    public void Validate()
    {
        if ((Ratios is null) == (Budget is null))
        {
            throw new A3InputException(A3ErrorCodes.InvalidOption, "give either per-component ratios (--qk/--ov/--mlp) or a --budget, not both and not neither");
        }

        if (Budget is double budget)
        {
            CompressionBudget.Validate(budget);
        }

        if (Method != CompressionMethod.A3 && Budget is null)
        {
            throw new A3InputException(A3ErrorCodes.InvalidOption, $"the {Method} baseline takes a --budget (each linear layer keeps the rank that removes that fraction of its parameters)");
        }

        if (Method != CompressionMethod.A3 && Allocation != BudgetAllocation.Uniform)
        {
            throw new A3InputException(A3ErrorCodes.InvalidOption, "greedy allocation applies to A3 only; the baselines allocate each layer the same ratio");
        }

        if (BatchSize < 1)
        {
            throw new A3InputException(A3ErrorCodes.InvalidOption, $"the batch size must be 1 or more, got {BatchSize}");
        }
    }
}
