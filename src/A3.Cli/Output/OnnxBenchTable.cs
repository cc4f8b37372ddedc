using System.Globalization;
using System.Text;
using A3.OnnxRuntime.Benchmarks;

namespace A3.Cli.Output;

/// <summary>The markdown table of <c>a3 bench-onnx</c>.</summary>
internal static class OnnxBenchTable
{
    /// <summary>Returns the table of <paramref name="rows"/> under a title line, with the settings they were measured at.</summary>
    public static string Markdown(string title, double budget, OnnxThroughputOptions options, IReadOnlyList<OnnxBenchRow> rows)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"ONNX Runtime CPU, {title}; budget {budget:R}; batch 1, {options.IntraOpThreads} intra-op thread(s), fastest of {options.Rounds} runs after a warm-up; decode: {options.DecodeTokens} greedy tokens with the KV cache after a {options.PromptLength}-token prompt.\n\n");
        text.Append("| model | layer shapes qk/v/I | decoder-linear params | weights on disk (MB) | peak RSS (MB) |");
        foreach (var length in options.PrefillLengths)
        {
            text.Append(CultureInfo.InvariantCulture, $" prefill {length} tok/s |");
        }

        text.Append(" decode tok/s |\n|---|---|---:|---:|---:|");
        text.Append(string.Concat(Enumerable.Repeat("---:|", options.PrefillLengths.Count)));
        text.Append("---:|\n");
        foreach (var row in rows)
        {
            var peak = row.PeakResidentBytes is long bytes ? (bytes / 1e6).ToString("F0", CultureInfo.InvariantCulture) : "n/a";
            text.Append(CultureInfo.InvariantCulture, $"| {row.Model} | {row.Shapes} | {row.DecoderLinearParameters:N0} | {row.WeightBytes / 1e6:F1} | {peak} |");
            foreach (var rate in row.PrefillTokensPerSecond)
            {
                text.Append(CultureInfo.InvariantCulture, $" {rate:F1} |");
            }

            text.Append(CultureInfo.InvariantCulture, $" {row.DecodeTokensPerSecond:F1} |\n");
        }

        return text.ToString();
    }
}
