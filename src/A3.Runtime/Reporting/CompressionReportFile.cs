using System.Text.Json;
using System.Text.Json.Nodes;

namespace A3.Runtime.Reporting;

/// <summary>
/// The <c>a3-report.json</c> that <c>a3 compress</c> writes beside a compressed model, read back:
/// how the model was made and its size and cost before and after. Applications read it at run time
/// because the original model is on the build machine only.
/// </summary>
/// <param name="Method"><c>a3</c>, <c>svd</c> or <c>svd-llm</c>.</param>
/// <param name="Target">How the sizes were chosen, e.g. <c>budget 0.2 (uniform)</c>.</param>
/// <param name="Sequential">Whether each layer was calibrated on the outputs of the already-compressed layers below it.</param>
/// <param name="CalibrationTokens">Tokens the statistics were collected over.</param>
/// <param name="Before">The original model.</param>
/// <param name="After">The compressed model.</param>
/// <param name="Evaluation">The compressed model's perplexity when the recipe asked for an evaluation, else <see langword="null"/>.</param>
/// <param name="Warnings">Numerical warnings and format notes of the run.</param>
public sealed record CompressionReportFile(
    string Method,
    string Target,
    bool Sequential,
    long CalibrationTokens,
    ModelSummary Before,
    ModelSummary After,
    ReportedEvaluation? Evaluation,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The report's file name inside a compressed model folder.</summary>
    public const string FileName = "a3-report.json";

    /// <summary>Gets the decoder-linear parameters removed.</summary>
    public long DecoderParametersRemoved => Before.DecoderLinearParameters - After.DecoderLinearParameters;

    /// <summary>Gets the fraction of decoder-linear parameters removed (the paper's compression ratio).</summary>
    public double DecoderRemovedFraction => DecoderParametersRemoved / (double)Before.DecoderLinearParameters;

    /// <summary>Gets all parameters removed.</summary>
    public long TotalParametersRemoved => Before.TotalParameters - After.TotalParameters;

    /// <summary>Reads the report of the compressed model in <paramref name="modelFolder"/>.</summary>
    /// <param name="modelFolder">A model folder written by <c>a3 compress</c> or the A3 build task.</param>
    /// <returns>The report.</returns>
    /// <exception cref="A3InputException">The folder has no report, or the report is malformed; the message names the file and the field.</exception>
    public static CompressionReportFile ReadFromModelFolder(string modelFolder)
    {
        ArgumentNullException.ThrowIfNull(modelFolder);
        return Read(Path.Combine(modelFolder, FileName));
    }

    /// <summary>Reads the report at <paramref name="path"/>.</summary>
    /// <param name="path">The path of an <c>a3-report.json</c> file.</param>
    /// <returns>The report.</returns>
    /// <exception cref="A3InputException">The file is missing (<see cref="A3ErrorCodes.FileNotFound"/>) or malformed (<see cref="A3ErrorCodes.InvalidReport"/>); the message names the field.</exception>
    public static CompressionReportFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new A3InputException(A3ErrorCodes.FileNotFound, $"no compression report (the {FileName} that a3 compress writes beside the model)", path);
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses the text of an <c>a3-report.json</c> document.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourcePath">The file the text came from, named in errors.</param>
    /// <returns>The report.</returns>
    /// <exception cref="A3InputException">The document is malformed (<see cref="A3ErrorCodes.InvalidReport"/>); the message names the field.</exception>
    public static CompressionReportFile Parse(string json, string sourcePath)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new A3InputException(A3ErrorCodes.InvalidReport, $"the report is not valid JSON: {e.Message}", sourcePath, e);
        }

        var top = root as JsonObject ?? throw new A3InputException(A3ErrorCodes.InvalidReport, "the report must be a JSON object", sourcePath);
        var report = new ReportFields(sourcePath);
        return new CompressionReportFile(
            report.Value<string>(top, "method"),
            report.Value<string>(top, "target"),
            report.Value<bool>(top, "sequential"),
            report.Value<long>(top, "calibration_tokens"),
            report.Summary(top, "before"),
            report.Summary(top, "after"),
            report.Evaluation(top, "evaluation"),
            report.Strings(top, "warnings"));
    }

    /// <summary>Reads typed fields, naming the report file and the field path in every error.</summary>
    private sealed class ReportFields(string sourcePath)
    {
        public ModelSummary Summary(JsonObject parent, string name)
        {
            var summary = Section(parent, name) ?? throw Invalid($"'{name}' is missing");
            return new ModelSummary(
                Value<long>(summary, "total_params", name),
                Value<long>(summary, "decoder_linear_params", name),
                Value<long>(summary, "kv_bytes_per_token", name),
                Value<long>(summary, "flops_per_token", name),
                Value<int>(summary, "context", name));
        }

        /// <summary>Reads the optional evaluation: absent or <c>null</c> when the recipe had none.</summary>
        public ReportedEvaluation? Evaluation(JsonObject parent, string name) => Section(parent, name) is { } evaluation
            ? new ReportedEvaluation(
                Value<double>(evaluation, "perplexity", name),
                Value<double>(evaluation, "mean_nll", name),
                Value<long>(evaluation, "tokens", name))
            : null;

        public string[] Strings(JsonObject parent, string name)
        {
            if (parent[name] is not JsonArray array)
            {
                throw Invalid($"'{name}' must be an array of strings");
            }

            return array.Select((item, index) => Scalar<string>(item, $"{name}[{index}]")).ToArray();
        }

        public T Value<T>(JsonObject parent, string name, string? section = null) =>
            Scalar<T>(parent[name], section is null ? name : $"{section}.{name}");

        private JsonObject? Section(JsonObject parent, string name) => parent[name] switch
        {
            null => null,
            JsonObject section => section,
            _ => throw Invalid($"'{name}' must be a JSON object"),
        };

        private T Scalar<T>(JsonNode? node, string field)
        {
            if (node is null)
            {
                throw Invalid($"'{field}' is missing");
            }

            return node is JsonValue value && value.TryGetValue<T>(out var result)
                ? result
                : throw Invalid($"'{field}' must be {KindOf(typeof(T))}, got {node.ToJsonString()}");
        }

        private static string KindOf(Type type) =>
            type == typeof(string) ? "a string" : type == typeof(bool) ? "true or false" : type == typeof(double) ? "a number" : "an integer";

        private A3InputException Invalid(string message) => new(A3ErrorCodes.InvalidReport, message, sourcePath);
    }
}
