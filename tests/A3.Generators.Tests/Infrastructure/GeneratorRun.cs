using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace A3.Generators.Tests.Infrastructure;

/// <summary>What one generator run produced.</summary>
/// <param name="Result">The generator's run result.</param>
/// <param name="Output">The compilation with the generated sources added.</param>
/// <param name="Diagnostics">The generator's diagnostics.</param>
internal sealed record GeneratorRun(GeneratorRunResult Result, Compilation Output, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>Gets the generated sources by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources =>
        Result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    /// <summary>Gets the compiler's diagnostics of warning severity or worse over the output compilation.</summary>
    public IReadOnlyList<Diagnostic> CompilerProblems =>
        Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
}
