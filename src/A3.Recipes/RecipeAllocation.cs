namespace A3.Recipes;

/// <summary>How a budget is spread over layers and components (<c>uniform</c>, <c>greedy</c> or <c>search</c>).</summary>
public enum RecipeAllocation
{
    /// <summary>The same ratio everywhere (<c>uniform</c>).</summary>
    Uniform,

    /// <summary>Mixed ranks chosen from the solvers' error curves, A3 only (<c>greedy</c>).</summary>
    Greedy,

    /// <summary>
    /// Sizes of every layer and component chosen on one measured scale, the end-to-end KL divergence from the
    /// original model on selection windows: single-change costs, a knapsack over them, then a bounded local
    /// search over whole plans; A3 only (<c>search</c>).
    /// </summary>
    Search,
}
