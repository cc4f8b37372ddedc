using System.Text.Json.Serialization;

namespace A3.Compression.Caching;

/// <summary>
/// The JSON contract of <c>a3-manifest.json</c>, generated at compile time and used to write and read it. The
/// embedded report and run facts take the shape of <c>a3-report.json</c> (same naming policy, same types).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ArtifactManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
