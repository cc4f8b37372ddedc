using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace A3.Generators.Tests.Infrastructure;

/// <summary>An additional file held in memory.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText text = SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => text;
}
