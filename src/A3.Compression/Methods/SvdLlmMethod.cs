using A3.Compression.Solvers;
using A3.Recipes;
using TorchSharp;

namespace A3.Compression.Methods;

/// <summary>Baseline: SVD-LLM, truncated SVD of every linear layer whitened by the Cholesky factor of its input autocorrelation (<see cref="SvdLlmBaseline"/>).</summary>
public sealed class SvdLlmMethod : LowRankBaselineMethod
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="budget">The fraction of each linear layer's parameters to remove, in (0, 1).</param>
    public SvdLlmMethod(double budget)
        : base(budget)
    {
    }

    /// <inheritdoc />
    public override string Name => RecipeNames.Of(RecipeMethod.SvdLlm);

    /// <inheritdoc />
    protected internal override LowRankFactors Factorize(torch.Tensor weight, torch.Tensor inputAutocorrelation, int rank) =>
        SvdLlmBaseline.Factorize(weight, inputAutocorrelation, rank);
}
