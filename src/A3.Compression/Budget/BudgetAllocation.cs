namespace A3.Compression.Budget;

/// <summary>How a parameter budget is spread over layers and components.</summary>
public enum BudgetAllocation
{
    /// <summary>The same ratio for every component of every layer.</summary>
    Uniform,

    /// <summary>Mixed ranks chosen greedily from the analytical error curves of every component.</summary>
    Greedy,
}
