using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace A3.Recipes;

/// <summary>
/// A problem found in a recipe: about a key (<see cref="Key"/>), and located at a line and column of
/// its file when the recipe was parsed from one.
/// </summary>
public sealed class RecipeDiagnostic
{
    /// <summary>Initializes a new instance of the <see cref="RecipeDiagnostic"/> class about no particular key.</summary>
    /// <param name="code">The code: one of <see cref="RecipeErrorCodes"/>, or an A30xx code of the runtime (<c>A3ErrorCodes</c>) for a problem found after parsing.</param>
    /// <param name="message">What is wrong and, where possible, how to fix it.</param>
    /// <param name="file">The recipe path as given to the parser; empty for a recipe built in memory.</param>
    /// <param name="line">The 1-based line; 0 when unlocated.</param>
    /// <param name="column">The 1-based column; 0 when unlocated.</param>
    /// <param name="severity">The severity.</param>
    [SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "The longer overload takes a key and a required severity, so a call binds to exactly one of the two; they ship together.")]
    public RecipeDiagnostic(string code, string message, string file, int line, int column, RecipeSeverity severity = RecipeSeverity.Error)
        : this(code, message, file, line, column, severity, string.Empty)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RecipeDiagnostic"/> class about <paramref name="key"/>.</summary>
    /// <param name="code">The code: one of <see cref="RecipeErrorCodes"/>, or an A30xx code of the runtime (<c>A3ErrorCodes</c>) for a problem found after parsing.</param>
    /// <param name="message">What is wrong and, where possible, how to fix it.</param>
    /// <param name="file">The recipe path as given to the parser; empty for a recipe built in memory.</param>
    /// <param name="line">The 1-based line; 0 when unlocated.</param>
    /// <param name="column">The 1-based column; 0 when unlocated.</param>
    /// <param name="severity">The severity.</param>
    /// <param name="key">The dotted recipe key the diagnostic is about (see <see cref="Key"/>).</param>
    public RecipeDiagnostic(string code, string message, string file, int line, int column, RecipeSeverity severity, string key)
    {
        Code = code;
        Message = message;
        File = file ?? string.Empty;
        Line = line;
        Column = column;
        Severity = severity;
        Key = key ?? string.Empty;
    }

    /// <summary>
    /// Gets the code: one of <see cref="RecipeErrorCodes"/> (A31xx) for the recipe's text and values, or an A30xx
    /// code of the runtime (<c>A3ErrorCodes</c>) for a problem found after parsing, such as a pre-flight failure.
    /// </summary>
    public string Code { get; }

    /// <summary>Gets the message.</summary>
    public string Message { get; }

    /// <summary>Gets the recipe path as given to the parser; empty for a recipe built in memory.</summary>
    public string File { get; }

    /// <summary>Gets the 1-based line; 0 when the diagnostic has no position (a recipe built in memory).</summary>
    public int Line { get; }

    /// <summary>Gets the 1-based column; 0 when the diagnostic has no position.</summary>
    public int Column { get; }

    /// <summary>Gets the severity.</summary>
    public RecipeSeverity Severity { get; }

    /// <summary>
    /// Gets the dotted recipe key the diagnostic is about, one of <see cref="RecipeKeys"/> with list
    /// indices where they apply (<c>compression.budget</c>, <c>compression.overrides[1].layers</c>), or
    /// empty for the whole recipe. A command line that built the recipe from flags names its flag
    /// through it instead of a YAML location.
    /// </summary>
    public string Key { get; }

    /// <summary>
    /// Formats the diagnostic in one of MSBuild's canonical forms, which IDEs and CI logs turn into
    /// links: <c>file(line,col): error A3xxx: message</c>; <c>file: error A3xxx: message</c> without a
    /// position; <c>error A3xxx: message</c> without a file.
    /// </summary>
    /// <returns>The formatted diagnostic.</returns>
    public override string ToString()
    {
        var text = string.Format(CultureInfo.InvariantCulture, "{0} {1}: {2}", Severity == RecipeSeverity.Error ? "error" : "warning", Code, Message);
        if (File.Length == 0)
        {
            // "(0,0)" or a bare "(3,5)" is no origin a log parser reads, so a recipe without a file has none.
            return text;
        }

        if (Line <= 0)
        {
            return string.Format(CultureInfo.InvariantCulture, "{0}: {1}", File, text);
        }

        return Column <= 0
            ? string.Format(CultureInfo.InvariantCulture, "{0}({1}): {2}", File, Line, text)
            : string.Format(CultureInfo.InvariantCulture, "{0}({1},{2}): {3}", File, Line, Column, text);
    }
}
