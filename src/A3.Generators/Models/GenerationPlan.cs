namespace A3.Generators.Models;

/// <summary>The generator's project-wide output: the files to add and the diagnostics that span recipes.</summary>
/// <param name="Sources">The generated files.</param>
/// <param name="Diagnostics">Clashing class names and a rejected namespace.</param>
internal sealed record GenerationPlan(EquatableArray<GeneratedSource> Sources, EquatableArray<DiagnosticInfo> Diagnostics);
