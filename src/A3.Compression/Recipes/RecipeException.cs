using A3.Recipes;
using A3.Runtime;

namespace A3.Compression.Recipes;

/// <summary>
/// A recipe cannot run: its text or values are wrong, or the pre-flight found that its model, data or plan do
/// not fit. Carries every diagnostic, each located at the recipe value that fixes it, so one run reports all.
/// </summary>
public sealed class RecipeException : A3InputException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="diagnostics">The diagnostics, at least one of them an error.</param>
    public RecipeException(IReadOnlyList<RecipeDiagnostic> diagnostics)
        : base(FirstError(diagnostics).Code, Describe(diagnostics), FirstError(diagnostics).File is { Length: > 0 } file ? file : null)
    {
        Diagnostics = diagnostics;
    }

    /// <summary>Gets every diagnostic (errors and warnings) in the order found: a parsed recipe's in file order, the pre-flight's by check (calibration, evaluation, plan).</summary>
    public IReadOnlyList<RecipeDiagnostic> Diagnostics { get; }

    private static RecipeDiagnostic FirstError(IReadOnlyList<RecipeDiagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        return diagnostics.FirstOrDefault(d => d.Severity == RecipeSeverity.Error)
            ?? throw new ArgumentException("a recipe exception needs at least one error", nameof(diagnostics));
    }

    private static string Describe(IReadOnlyList<RecipeDiagnostic> diagnostics)
    {
        var errors = diagnostics.Count(d => d.Severity == RecipeSeverity.Error);
        var first = FirstError(diagnostics).Message;
        return errors == 1 ? first : $"{first} (and {errors - 1} more error{(errors > 2 ? "s" : string.Empty)})";
    }
}
