namespace A3.Generators.Models;

/// <summary>The result of reading one recipe: its class model when it is valid, and its diagnostics.</summary>
/// <param name="RecipePath">The recipe path.</param>
/// <param name="Class">The class to generate, or <see langword="null"/> when the recipe has errors.</param>
/// <param name="Diagnostics">The recipe's diagnostics, located in its YAML.</param>
internal sealed record RecipeOutcome(string RecipePath, RecipeClassModel? Class, EquatableArray<DiagnosticInfo> Diagnostics);
