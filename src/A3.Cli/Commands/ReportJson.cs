using System.Text.Json;
using System.Text.Json.Nodes;
using A3.Runtime.Reporting;
using A3.Runtime.Evaluation;

namespace A3.Cli.Commands;

/// <summary>The JSON shape of a compression report (snake_case, stable field names).</summary>
internal static class ReportJson
{
    /// <summary>Gets the serializer options for reports.</summary>
    public static JsonSerializerOptions Options { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>
    /// Builds the content of <c>a3-report.json</c>: what was made and what it costs. It holds no times, paths
    /// or cache facts, so the same inputs give the same bytes (docs/REPRODUCIBILITY.md); those live in
    /// <see cref="RunFacts"/>.
    /// </summary>
    public static object From(CompressionReport report, PerplexityResult? evaluation = null) => new
    {
        method = report.Method,
        target = report.Target,
        sequential = report.Sequential,
        calibration_tokens = report.CalibrationTokens,
        decoder_params_removed = report.DecoderParametersRemoved,
        decoder_removed_fraction = report.DecoderRemovedFraction,
        total_params_removed = report.TotalParametersRemoved,
        before = Summary(report.Before),
        after = Summary(report.After),
        layers = report.Layers.Select(layer => new
        {
            index = layer.Index,
            components = layer.Components.Select(c => new { component = c.Component, original = c.Original, kept = c.Kept, relative_error = c.RelativeError }),
        }),
        warnings = report.Warnings,
        evaluation = evaluation is null ? null : new { perplexity = evaluation.Perplexity, mean_nll = evaluation.MeanNll, tokens = evaluation.Tokens },
    };

    /// <summary>Builds the facts of one run that differ between runs of the same inputs: seconds and statistics reuse.</summary>
    public static JsonObject RunFacts(CompressionReport report, PerplexityResult? evaluation = null) =>
        JsonSerializer.SerializeToNode(
            new
            {
                seconds = report.Seconds,
                evaluation_seconds = evaluation?.Seconds,
                layers = report.Layers.Select(layer => new
                {
                    index = layer.Index,
                    statistics_seconds = layer.StatisticsSeconds,
                    solve_seconds = layer.SolveSeconds,
                    statistics_reused = layer.StatisticsReused,
                }),
            },
            Options)!.AsObject();

    private static object Summary(ModelSummary summary) => new
    {
        total_params = summary.TotalParameters,
        decoder_linear_params = summary.DecoderLinearParameters,
        kv_bytes_per_token = summary.KvCacheBytesPerToken,
        flops_per_token = summary.FlopsPerToken,
        context = summary.Context,
    };
}
