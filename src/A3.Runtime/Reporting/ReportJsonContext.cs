using System.Text.Json.Serialization;

namespace A3.Runtime.Reporting;

/// <summary>
/// The one JSON contract of <c>a3-report.json</c> and of the run facts, generated at compile time: the writer
/// (the compressor) and the reader (applications) both go through it. Required members and nullability are
/// enforced on read, so a missing or mistyped field is an error, not a default.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(CompressionReport))]
[JsonSerializable(typeof(CompressionRunFacts))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
