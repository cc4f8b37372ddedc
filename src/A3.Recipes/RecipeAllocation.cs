namespace A3.Recipes;

/// <summary>How a budget is spread over layers (<c>uniform</c> or <c>greedy</c>).</summary>
public enum RecipeAllocation
{
    /// <summary>The same ratio everywhere (<c>uniform</c>).</summary>
    Uniform,

    /// <summary>Mixed ranks chosen from the solvers' error curves, A3 only (<c>greedy</c>).</summary>
    Greedy,
}
