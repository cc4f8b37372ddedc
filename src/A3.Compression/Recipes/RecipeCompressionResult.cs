using A3.Recipes;
using A3.Runtime.Reporting;

namespace A3.Compression.Recipes;

/// <summary>What a <see cref="RecipeCompressor"/> run produced.</summary>
/// <param name="OutputFolder">The model folder written (full path), holding the model and its <c>a3-report.json</c>.</param>
/// <param name="Report">The report written beside the model.</param>
/// <param name="RunFacts">How the run that compressed the model went (on a cache hit, the run that filled the cache).</param>
/// <param name="Cache">How the artifact cache was used.</param>
/// <param name="Key">The artifact key, when a cache was used.</param>
/// <param name="Warnings">Warnings of the pre-flight (empty on a cache hit, which runs none).</param>
public sealed record RecipeCompressionResult(
    string OutputFolder,
    CompressionReport Report,
    CompressionRunFacts? RunFacts,
    CacheOutcome Cache,
    string? Key,
    IReadOnlyList<RecipeDiagnostic> Warnings);
