namespace A3.Recipes;

/// <summary>The compression method (<c>a3</c>, <c>svd</c> or <c>svd-llm</c>).</summary>
public enum RecipeMethod
{
    /// <summary>A3: per-component solvers for QK, OV and MLP (<c>a3</c>).</summary>
    A3,

    /// <summary>Plain truncated SVD of every linear layer, a baseline (<c>svd</c>).</summary>
    Svd,

    /// <summary>SVD-LLM with whitening, a baseline (<c>svd-llm</c>).</summary>
    SvdLlm,
}
