namespace A3.Recipes;

/// <summary>How an evaluation scores its data.</summary>
public enum RecipeEvaluationProtocol
{
    /// <summary>Each document alone, [BOS] + text (<c>documents</c>).</summary>
    Documents,

    /// <summary>The whole text in non-overlapping windows (<c>windows</c>).</summary>
    Windows,
}
