using System;
using System.Collections.Generic;
using YamlDotNet.Core;

namespace A3.Recipes;

/// <summary>The diagnostics of one parse and the file they point into.</summary>
internal sealed class ParseContext
{
    private readonly List<RecipeDiagnostic> diagnostics = new();
    private readonly Dictionary<string, RecipeLocation> locations = new(StringComparer.Ordinal);

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

    /// <summary>Reports an error at <paramref name="at"/>.</summary>
    public void Error(string code, Mark at, string message) => Add(code, at, message, RecipeSeverity.Error);

    /// <summary>Reports a warning at <paramref name="at"/>.</summary>
    public void Warning(string code, Mark at, string message) => Add(code, at, message, RecipeSeverity.Warning);

    private void Add(string code, Mark at, string message, RecipeSeverity severity)
    {
        HasErrors |= severity == RecipeSeverity.Error;
        diagnostics.Add(new RecipeDiagnostic(code, message, File, (int)at.Line, (int)at.Column, severity));
    }
}
