using A3.Recipes;

namespace A3.Compression;

/// <summary>A warning about the recipe or the run, located at the recipe value it concerns when there is one.</summary>
/// <param name="Diagnostic">The warning.</param>
public sealed record CompressionWarning(RecipeDiagnostic Diagnostic) : CompressionProgress;
