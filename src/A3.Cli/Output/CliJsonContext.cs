using System.Text.Json.Serialization;

namespace A3.Cli.Output;

/// <summary>The JSON contracts of every verb's <c>--json</c> output (snake_case), generated at compile time.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(EvalOutput))]
[JsonSerializable(typeof(GenerateOutput))]
[JsonSerializable(typeof(InspectOutput))]
[JsonSerializable(typeof(CompareOutput))]
[JsonSerializable(typeof(BenchOutput))]
[JsonSerializable(typeof(BenchRow))]
[JsonSerializable(typeof(OnnxBenchRow))]
[JsonSerializable(typeof(List<OnnxBenchRow>))]
[JsonSerializable(typeof(SynthesizeOutput))]
[JsonSerializable(typeof(CompressOutput))]
[JsonSerializable(typeof(DoctorReport))]
[JsonSerializable(typeof(ExportOutput))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
