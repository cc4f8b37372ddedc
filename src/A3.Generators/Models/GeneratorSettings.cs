namespace A3.Generators.Models;

/// <summary>The project-wide inputs of the generator.</summary>
/// <param name="Namespace">The namespace of the generated types.</param>
/// <param name="NamespaceError">Why <c>A3GeneratedNamespace</c> was rejected, or <see langword="null"/>.</param>
internal sealed record GeneratorSettings(string Namespace, DiagnosticInfo? NamespaceError);
