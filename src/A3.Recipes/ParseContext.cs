using System;
using System.Collections.Generic;
using System.Linq;
using YamlDotNet.Core;

namespace A3.Recipes;

/// <summary>The diagnostics of one parse, the file they point into, and the keys whose values could not be read.</summary>
internal sealed class ParseContext
{
    private readonly List<RecipeDiagnostic> diagnostics = new();
    private readonly Dictionary<string, RecipeLocation> locations = new(StringComparer.Ordinal);
    private readonly HashSet<string> unread = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="ParseContext"/> class.</summary>
    public ParseContext(string file) => File = file;

    /// <summary>Gets the recipe path as given.</summary>
    public string File { get; }

    /// <summary>Gets the diagnostics so far.</summary>
    public IReadOnlyList<RecipeDiagnostic> Diagnostics => diagnostics;

    /// <summary>Gets where each key's value is written, by dotted path (<c>calibration.samples</c>, <c>compression.overrides[0].layers</c>).</summary>
    public IReadOnlyDictionary<string, RecipeLocation> Locations => locations;

    /// <summary>Gets a value indicating whether an error was reported.</summary>
    public bool HasErrors { get; private set; }

    /// <summary>Records that the value of <paramref name="path"/> starts at <paramref name="at"/>.</summary>
    public void Locate(string path, Mark at) => locations[path] = new RecipeLocation((int)at.Line, (int)at.Column);

    /// <summary>Reports an error about <paramref name="key"/> (empty for the whole recipe) at <paramref name="at"/>.</summary>
    public void Error(string code, string key, Mark at, string message) => Add(code, key, at, message, RecipeSeverity.Error);

    /// <summary>
    /// Reports an error that left the value of <paramref name="key"/> unread (missing, of the wrong
    /// type, misspelt), so the object model holds its default there instead.
    /// </summary>
    public void Unread(string code, string key, Mark at, string message)
    {
        unread.Add(key);
        Error(code, key, at, message);
    }

    /// <summary>
    /// Returns whether a validator diagnostic about <paramref name="validated"/> repeats or follows
    /// from a value the reader could not read: the same key, a key inside an unread section, or a
    /// "missing" complaint about a section whose value is written but unreadable.
    /// </summary>
    public bool Explains(RecipeDiagnostic validated) =>
        unread.Any(key => key == validated.Key
            || IsInside(validated.Key, key)
            || (validated.Code == RecipeErrorCodes.MissingRequired && IsInside(key, validated.Key)));

    private static bool IsInside(string key, string section) =>
        section.Length == 0
        || (key.Length > section.Length && key.StartsWith(section, StringComparison.Ordinal) && key[section.Length] is '.' or '[');

    private void Add(string code, string key, Mark at, string message, RecipeSeverity severity)
    {
        HasErrors |= severity == RecipeSeverity.Error;
        diagnostics.Add(new RecipeDiagnostic(code, message, File, (int)at.Line, (int)at.Column, severity, key));
    }
}
