using System.Globalization;
using System.Text;
using A3.Runtime.Benchmarks;

namespace A3.Cli.Output;

/// <summary>
/// The markdown form of <c>a3 bench</c>'s table. Columns are a list of header and cell, so a later measurement
/// (compression time per phase, peak memory per layer count, compressed-model inference) is one more entry.
/// </summary>
internal static class BenchTable
{
    private static readonly (string Header, Func<SyntheticBenchmarkResult, string> Cell)[] Columns =
    [
        ("preset", row => row.Preset),
        ("layers", row => Invariant($"{row.Layers}")),
        ("tokens", row => Invariant($"{row.Windows} × {row.SequenceLength}")),
        ("device", row => row.Device),
        ("checkpoint GB", row => Invariant($"{row.CheckpointBytes / 1e9:F2}")),
        ("write s", row => Invariant($"{row.WriteSeconds:F1}")),
        ("GEMM GFLOP/s", row => Invariant($"{row.GemmGflops:F1}")),
        ("load s", row => Invariant($"{row.LoadSeconds:F2}")),
        ("prefill s", row => Invariant($"{row.PrefillSeconds:F2}")),
        ("prefill tokens/s", row => Invariant($"{row.PrefillTokensPerSecond:F0}")),
        ("prefill GFLOP/s", row => Invariant($"{row.PrefillGflops:F1}")),
        ("of GEMM", row => Invariant($"{row.RooflineFraction:P0}")),
        ("peak RSS GiB", row => row.PeakRssBytes is { } bytes ? Invariant($"{bytes / (double)(1L << 30):F2}") : "n/a"),
        ("load avg", row => row.LoadAverage is { } load ? Invariant($"{load:F2}") : "n/a"),
    ];

    /// <summary>Renders the rows as a markdown table, a header and separator line first, each line ending in a newline.</summary>
    public static string Markdown(IEnumerable<SyntheticBenchmarkResult> rows)
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", Columns.Select(column => column.Header)).Append(" |\n");
        text.Append('|').AppendJoin('|', Columns.Select(_ => "---")).Append("|\n");
        foreach (var row in rows)
        {
            text.Append("| ").AppendJoin(" | ", Columns.Select(column => column.Cell(row))).Append(" |\n");
        }

        return text.ToString();
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
