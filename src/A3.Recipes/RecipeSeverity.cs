namespace A3.Recipes;

/// <summary>How serious a <see cref="RecipeDiagnostic"/> is.</summary>
public enum RecipeSeverity
{
    /// <summary>The recipe cannot be used.</summary>
    Error,

    /// <summary>The recipe can be used, but probably does not say what was meant.</summary>
    Warning,
}
