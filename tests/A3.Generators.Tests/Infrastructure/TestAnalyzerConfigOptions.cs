using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace A3.Generators.Tests.Infrastructure;

/// <summary>Analyzer-config options from a dictionary, keyed case-insensitively like the compiler's.</summary>
internal sealed class TestAnalyzerConfigOptions(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
{
    private readonly Dictionary<string, string> values = new(values, KeyComparer);

    public static TestAnalyzerConfigOptions Empty { get; } = new(new Dictionary<string, string>());

    public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
}
