namespace A3.Generators.Models;

/// <summary>One generated file.</summary>
/// <param name="HintName">The hint name, unique within the compilation.</param>
/// <param name="Text">The C# source.</param>
internal sealed record GeneratedSource(string HintName, string Text);
