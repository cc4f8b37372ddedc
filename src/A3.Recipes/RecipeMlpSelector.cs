namespace A3.Recipes;

/// <summary>The MLP neuron selector.</summary>
public enum RecipeMlpSelector
{
    /// <summary>Pivoted Cholesky on the activation Gram matrix (<c>pivoted-cholesky</c>).</summary>
    PivotedCholesky,

    /// <summary>Activation importance scores (<c>importance</c>).</summary>
    Importance,
}
