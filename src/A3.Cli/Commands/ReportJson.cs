using System.Text.Json;
using A3.Runtime.Compression.Reporting;
using A3.Runtime.Evaluation;

namespace A3.Cli.Commands;

/// <summary>The JSON shape of a compression report (snake_case, stable field names).</summary>
internal static class ReportJson
{
    /// <summary>Gets the serializer options for reports.</summary>
    public static JsonSerializerOptions Options { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>Builds the JSON object of <paramref name="report"/>.</summary>
    public static object From(CompressionReport report, string output, PerplexityResult? evaluation = null) => new
    {
        output,
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
            statistics_seconds = layer.StatisticsSeconds,
            solve_seconds = layer.SolveSeconds,
            statistics_reused = layer.StatisticsReused,
            components = layer.Components.Select(c => new { component = c.Component, original = c.Original, kept = c.Kept, relative_error = c.RelativeError }),
        }),
        warnings = report.Warnings,
        evaluation = evaluation is null ? null : new { perplexity = evaluation.Perplexity, mean_nll = evaluation.MeanNll, tokens = evaluation.Tokens, seconds = evaluation.Seconds },
        seconds = report.Seconds,
    };

    private static object Summary(ModelSummary summary) => new
    {
        total_params = summary.TotalParameters,
        decoder_linear_params = summary.DecoderLinearParameters,
        kv_bytes_per_token = summary.KvCacheBytesPerToken,
        flops_per_token = summary.FlopsPerToken,
        context = summary.Context,
    };
}
