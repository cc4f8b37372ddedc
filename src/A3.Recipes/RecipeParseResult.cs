using System.Collections.Generic;
using System.Linq;

namespace A3.Recipes;

/// <summary>The outcome of parsing a recipe: the recipe when it has no errors, and every diagnostic found.</summary>
public sealed class RecipeParseResult
{
    /// <summary>Initializes a new instance of the <see cref="RecipeParseResult"/> class.</summary>
    /// <param name="recipe">The recipe, or <see langword="null"/> when <paramref name="diagnostics"/> holds an error.</param>
    /// <param name="diagnostics">Every diagnostic, in file order.</param>
    public RecipeParseResult(Recipe? recipe, IReadOnlyList<RecipeDiagnostic> diagnostics)
    {
        Recipe = recipe;
        Diagnostics = diagnostics;
    }

    /// <summary>Gets the recipe, or <see langword="null"/> when it has errors.</summary>
    public Recipe? Recipe { get; }

    /// <summary>Gets every diagnostic, in file order.</summary>
    public IReadOnlyList<RecipeDiagnostic> Diagnostics { get; }

    /// <summary>Gets a value indicating whether the recipe parsed without errors (warnings allowed).</summary>
    public bool Success => Recipe is not null;

    /// <summary>Gets the diagnostics of error severity.</summary>
    public IEnumerable<RecipeDiagnostic> Errors => Diagnostics.Where(d => d.Severity == RecipeSeverity.Error);
}
