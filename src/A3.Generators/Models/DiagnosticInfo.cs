using Microsoft.CodeAnalysis;

namespace A3.Generators.Models;

/// <summary>A diagnostic as plain values, turned into a Roslyn <see cref="Diagnostic"/> only when reported.</summary>
/// <param name="Code">The A3 code.</param>
/// <param name="Message">The message.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="Location">Where in a recipe, or <see langword="null"/> for a project-wide problem.</param>
internal sealed record DiagnosticInfo(string Code, string Message, DiagnosticSeverity Severity, LocationInfo? Location)
{
    /// <summary>Creates the Roslyn diagnostic.</summary>
    public Diagnostic ToDiagnostic() => Diagnostic.Create(
        A3Diagnostics.ForCode(Code),
        Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None,
        Severity,
        additionalLocations: null,
        properties: null,
        Message);
}
