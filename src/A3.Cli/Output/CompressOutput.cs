using A3.Runtime.Reporting;

namespace A3.Cli.Output;

/// <summary>What <c>a3 compress --json</c> prints: where the model went, how the cache served it, the report and the run's facts.</summary>
internal sealed record CompressOutput(string Output, string Cache, string? Key, CompressionReport Report, CompressionRunFacts? Run);
