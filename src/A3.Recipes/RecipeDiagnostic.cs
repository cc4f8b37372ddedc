using System.Globalization;

namespace A3.Recipes;

/// <summary>A problem found in a recipe, located at a line and column of its file.</summary>
public sealed class RecipeDiagnostic
{
    /// <summary>Initializes a new instance of the <see cref="RecipeDiagnostic"/> class.</summary>
    /// <param name="code">The code, one of <see cref="RecipeErrorCodes"/>.</param>
    /// <param name="message">What is wrong and, where possible, how to fix it.</param>
    /// <param name="file">The recipe path as given to the parser.</param>
    /// <param name="line">The 1-based line.</param>
    /// <param name="column">The 1-based column.</param>
    /// <param name="severity">The severity.</param>
    public RecipeDiagnostic(string code, string message, string file, int line, int column, RecipeSeverity severity = RecipeSeverity.Error)
    {
        Code = code;
        Message = message;
        File = file;
        Line = line;
        Column = column;
        Severity = severity;
    }

    /// <summary>Gets the code, one of <see cref="RecipeErrorCodes"/>.</summary>
    public string Code { get; }

    /// <summary>Gets the message.</summary>
    public string Message { get; }

    /// <summary>Gets the recipe path as given to the parser.</summary>
    public string File { get; }

    /// <summary>Gets the 1-based line.</summary>
    public int Line { get; }

    /// <summary>Gets the 1-based column.</summary>
    public int Column { get; }

    /// <summary>Gets the severity.</summary>
    public RecipeSeverity Severity { get; }

    /// <summary>Formats the diagnostic in MSBuild's canonical form, <c>file(line,col): error A3xxx: message</c>, which IDEs and CI logs turn into links.</summary>
    /// <returns>The formatted diagnostic.</returns>
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "{0}({1},{2}): {3} {4}: {5}",
        File,
        Line,
        Column,
        Severity == RecipeSeverity.Error ? "error" : "warning",
        Code,
        Message);
}
