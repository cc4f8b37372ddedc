using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace A3.Generators.Tests.Infrastructure;

/// <summary>
/// What MSBuild hands the compiler through the generated .editorconfig: <c>build_property.*</c> as
/// global options and <c>build_metadata.AdditionalFiles.*</c> per additional file.
/// </summary>
internal sealed class TestAnalyzerConfigOptionsProvider(
    IReadOnlyDictionary<string, string> globalOptions,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> fileOptions) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new TestAnalyzerConfigOptions(globalOptions);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => TestAnalyzerConfigOptions.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        fileOptions.TryGetValue(textFile.Path, out var options) ? new TestAnalyzerConfigOptions(options) : TestAnalyzerConfigOptions.Empty;
}
