using System.Text.Json;
using A3.Runtime.Reporting;
using A3.Tests;

namespace A3.Cli.Tests;

/// <summary>The runtime's <see cref="CompressionReportFile"/> reads what <c>a3 compress</c> writes.</summary>
public sealed class ReportFileTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-report-file-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public async Task The_runtime_reads_the_report_a3_compress_writes()
    {
        var recipe = SmallRecipe.Write(scratch, "qk: 0.25", $"""
            evaluation:
              data: {Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt")}
              skip_docs: 500
              max_docs: 3
            """);
        var output = Path.Combine(scratch, "out");

        var run = await CliRunner.RunAsync(["compress", recipe, "--out", output, "--json", "--no-cache"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var printed = JsonDocument.Parse(run.Stdout).RootElement;
        var report = CompressionReportFile.ReadFromModelFolder(output);
        Assert.Equal(printed.GetProperty("target").GetString(), report.Target);
        Assert.Equal(printed.GetProperty("calibration_tokens").GetInt64(), report.CalibrationTokens);
        Assert.Equal(printed.GetProperty("before").GetProperty("kv_bytes_per_token").GetInt64(), report.Before.KvCacheBytesPerToken);
        Assert.Equal(printed.GetProperty("after").GetProperty("kv_bytes_per_token").GetInt64(), report.After.KvCacheBytesPerToken);
        Assert.Equal(printed.GetProperty("decoder_params_removed").GetInt64(), report.DecoderParametersRemoved);
        Assert.Equal(printed.GetProperty("evaluation").GetProperty("perplexity").GetDouble(), report.Evaluation?.Perplexity);
        Assert.True(report.After.KvCacheBytesPerToken < report.Before.KvCacheBytesPerToken, "removing a quarter of the query/key head dim shrinks the K cache");
    }
}
