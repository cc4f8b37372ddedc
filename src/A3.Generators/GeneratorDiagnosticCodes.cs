namespace A3.Generators;

/// <summary>
/// Codes of problems only the generator sees: they involve several recipes or the project's
/// settings rather than one recipe's text. The recipe's own codes are <see cref="A3.Recipes.RecipeErrorCodes"/>.
/// </summary>
internal static class GeneratorDiagnosticCodes
{
    /// <summary>Two <c>A3Compress</c> recipes would generate the same class.</summary>
    public const string DuplicateClassName = "A3150";

    /// <summary>The class name (from <c>ClassName</c> metadata or the recipe name) is not usable as a C# class name.</summary>
    public const string InvalidClassName = "A3151";

    /// <summary><c>A3GeneratedNamespace</c> is not a C# namespace.</summary>
    public const string InvalidNamespace = "A3152";
}
