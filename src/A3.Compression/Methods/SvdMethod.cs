using A3.Compression.Solvers;
using A3.Recipes;
using TorchSharp;

namespace A3.Compression.Methods;

/// <summary>Baseline: plain truncated SVD of every decoder linear layer (<see cref="SvdBaseline"/>).</summary>
public sealed class SvdMethod : LowRankBaselineMethod
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="budget">The fraction of each linear layer's parameters to remove, in (0, 1).</param>
    public SvdMethod(double budget)
        : base(budget)
    {
    }

    /// <inheritdoc />
    public override string Name => RecipeNames.Of(RecipeMethod.Svd);

    /// <inheritdoc />
    protected internal override LowRankFactors Factorize(torch.Tensor weight, torch.Tensor inputAutocorrelation, int rank) =>
        SvdBaseline.Factorize(weight, rank);
}
