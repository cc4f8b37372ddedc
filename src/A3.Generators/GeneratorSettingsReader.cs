using A3.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace A3.Generators;

/// <summary>Reads the project-wide settings from the global analyzer-config options.</summary>
internal static class GeneratorSettingsReader
{
    /// <summary>The namespace used when the project has no root namespace.</summary>
    public const string DefaultNamespace = "A3";

    /// <summary>
    /// Returns the namespace of the generated types: <c>A3GeneratedNamespace</c> when set, else
    /// <c>$(RootNamespace).A3</c>, else <c>A3</c>.
    /// </summary>
    /// <param name="options">The global options (<c>build_property.*</c>).</param>
    /// <returns>The settings, with a diagnostic when <c>A3GeneratedNamespace</c> is not a namespace.</returns>
    public static GeneratorSettings Read(AnalyzerConfigOptions options)
    {
        var rootNamespace = Property(options, BuildOptionNames.RootNamespace);
        var fallback = rootNamespace.Length == 0 ? DefaultNamespace : CSharpNames.SanitizeNamespace(rootNamespace) + "." + DefaultNamespace;
        var requested = Property(options, BuildOptionNames.GeneratedNamespace);
        if (requested.Length == 0)
        {
            return new GeneratorSettings(fallback, null);
        }

        if (CSharpNames.IsNamespace(requested))
        {
            return new GeneratorSettings(requested, null);
        }

        var error = new DiagnosticInfo(
            GeneratorDiagnosticCodes.InvalidNamespace,
            $"A3GeneratedNamespace '{requested}' is not a C# namespace (dot-separated identifiers, none a keyword); the recipe classes go to '{fallback}' instead",
            DiagnosticSeverity.Error,
            null);
        return new GeneratorSettings(fallback, error);
    }

    private static string Property(AnalyzerConfigOptions options, string key) =>
        options.TryGetValue(key, out var value) ? value.Trim() : string.Empty;
}
