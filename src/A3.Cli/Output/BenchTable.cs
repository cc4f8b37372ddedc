using System.Globalization;
using System.Text;
using A3.Compression.Benchmarks;
using A3.Runtime.Benchmarks;
using A3.Runtime.Reporting;

namespace A3.Cli.Output;

/// <summary>
/// The markdown form of <c>a3 bench</c>: one table of the checkpoints' runtime figures, one of the compressions phase by
/// phase, one of the inference comparison. Each table's columns are a list of header and cell, so a new measurement
/// is one more entry.
/// </summary>
internal static class BenchTable
{
    private static readonly Column<SyntheticBenchmarkResult>[] RuntimeColumns =
    [
        new("preset", row => row.Preset),
        new("layers", row => Invariant($"{row.Layers}")),
        new("tokens", row => Invariant($"{row.Windows} × {row.SequenceLength}")),
        new("device", row => row.Device),
        new("checkpoint GB", row => Invariant($"{row.CheckpointBytes / 1e9:F2}")),
        new("write s", row => Invariant($"{row.WriteSeconds:F1}")),
        new("GEMM GFLOP/s", row => Invariant($"{row.GemmGflops:F1}")),
        new("GEMM f64 GFLOP/s", row => Invariant($"{row.GemmGflopsFloat64:F1}")),
        new("load s", row => Invariant($"{row.LoadSeconds:F2}")),
        new("prefill s", row => Invariant($"{row.PrefillSeconds:F2}")),
        new("prefill tokens/s", row => Invariant($"{row.PrefillTokensPerSecond:F0}")),
        new("prefill GFLOP/s", row => Invariant($"{row.PrefillGflops:F1}")),
        new("of GEMM", row => Invariant($"{row.RooflineFraction:P0}")),
        new("layer forward s", row => Invariant($"{row.LayerForwardSeconds:F2}")),
        new("layer GFLOP/s", row => Invariant($"{row.LayerForwardGflops:F1}")),
        new("layer of GEMM", row => Invariant($"{row.LayerRooflineFraction:P0}")),
        new("peak RSS GiB", row => Gibibytes(row.PeakRssBytes)),
        new("load avg", row => row.LoadAverage is { } load ? Invariant($"{load:F2}") : "n/a"),
    ];

    private static readonly Column<(SyntheticBenchmarkResult Runtime, MethodCompressionResult Method)>[] CompressionColumns =
    [
        new("preset", row => row.Runtime.Preset),
        new("layers", row => Invariant($"{row.Runtime.Layers}")),
        new("method", row => row.Method.Method),
        new("removed", row => Invariant($"{row.Method.DecoderRemovedFraction:P1}")),
        new("plan s", row => Invariant($"{row.Method.RunFacts.PlanSeconds:F1}")),
        new("statistics s/layer", row => PerLayer(row.Method.RunFacts, facts => facts.StatisticsSeconds)),
        new("weights s/layer", row => PerLayer(row.Method.RunFacts, facts => facts.WeightsSeconds)),
        new("solvers s/layer", row => Solvers(row.Method.RunFacts)),
        new("forward s/layer", row => Forward(row.Method.RunFacts)),
        new("spool s/layer", row => PerLayer(row.Method.RunFacts, facts => facts.SpoolSeconds)),
        new("write s", row => row.Method.RunFacts.WriteSeconds is { } write ? Invariant($"{write:F1}") : "n/a"),
        new("total s", row => Invariant($"{row.Method.RunFacts.Seconds + (row.Method.RunFacts.WriteSeconds ?? 0):F1}")),
        new("plain layer forward s", row => Invariant($"{row.Runtime.LayerForwardSeconds:F2}")),
        new("non-solver × forward", row => Invariant($"{NonSolverSeconds(row.Method.RunFacts) / row.Runtime.LayerForwardSeconds:F2}")),
        new("peak RSS GiB", row => Gibibytes(row.Method.PeakRssBytes)),
    ];

    private static readonly Column<(SyntheticBenchmarkResult Runtime, InferenceResult Model)>[] InferenceColumns =
    [
        new("preset", row => row.Runtime.Preset),
        new("layers", row => Invariant($"{row.Runtime.Layers}")),
        new("model", row => row.Model.Model),
        new("parameters M", row => Invariant($"{row.Model.Parameters / 1e6:F1}")),
        new("KV bytes/token", row => Invariant($"{row.Model.KvCacheBytesPerToken}")),
        new("load s", row => Invariant($"{row.Model.LoadSeconds:F2}")),
        new("prefill tokens/s", row => string.Join(" / ", row.Model.Speed.PrefillTokensPerSecond.OrderBy(entry => entry.Key).Select(entry => Invariant($"{entry.Value:F0} @{entry.Key}")))),
        new("decode tokens/s", row => Invariant($"{row.Model.Speed.DecodeTokensPerSecond:F2}")),
    ];

    /// <summary>Renders the rows as markdown tables separated by blank lines, each line ending in a newline; tables with no rows are left out.</summary>
    public static string Markdown(IReadOnlyList<BenchRow> rows)
    {
        var text = new StringBuilder();
        Append(text, RuntimeColumns, rows.Select(row => row.Runtime));
        Append(text, CompressionColumns, rows.SelectMany(row => (row.Compression?.Compressions ?? []).Select(method => (row.Runtime, method))));
        Append(text, InferenceColumns, rows.SelectMany(row => (row.Compression?.Inference ?? []).Select(model => (row.Runtime, model))));
        return text.ToString();
    }

    /// <summary>The statistics, forward, spool and weights-read time of the layers that ran all of them, per layer: what the compression adds to the solvers.</summary>
    private static double NonSolverSeconds(CompressionRunFacts facts) =>
        Forwarded(facts) is { Count: > 0 } forwarded
            ? forwarded.Average(layer => layer.StatisticsSeconds + layer.WeightsSeconds + layer.ForwardSeconds!.Value + layer.SpoolSeconds)
            : double.NaN;

    /// <summary>The layers whose compressed forward pass ran (all but the last, in sequential calibration).</summary>
    private static List<LayerRunFacts> Forwarded(CompressionRunFacts facts) =>
        facts.Layers.Where(layer => layer.ForwardSeconds is not null).ToList();

    private static string PerLayer(CompressionRunFacts facts, Func<LayerRunFacts, double> phase) =>
        Invariant($"{facts.Layers.Average(phase):F1}");

    private static string Forward(CompressionRunFacts facts) =>
        Forwarded(facts) is { Count: > 0 } forwarded ? Invariant($"{forwarded.Average(layer => layer.ForwardSeconds!.Value):F1}") : "n/a";

    /// <summary>Each solver's mean seconds per layer, as <c>name s</c> pairs in the order the first layer ran them.</summary>
    private static string Solvers(CompressionRunFacts facts) =>
        string.Join(", ", (facts.Layers[0].SolverSeconds ?? new Dictionary<string, double>()).Keys
            .Select(name => Invariant($"{name} {facts.Layers.Average(layer => layer.SolverSeconds?.GetValueOrDefault(name) ?? 0):F1}")));

    private static string Gibibytes(long? bytes) => bytes is { } value ? Invariant($"{value / (double)(1L << 30):F2}") : "n/a";

    private static void Append<T>(StringBuilder text, Column<T>[] columns, IEnumerable<T> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return;
        }

        if (text.Length > 0)
        {
            text.Append('\n');
        }

        text.Append("| ").AppendJoin(" | ", columns.Select(column => column.Header)).Append(" |\n");
        text.Append('|').AppendJoin('|', columns.Select(_ => "---")).Append("|\n");
        foreach (var row in list)
        {
            text.Append("| ").AppendJoin(" | ", columns.Select(column => column.Cell(row))).Append(" |\n");
        }
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Column<T>(string Header, Func<T, string> Cell);
}
