using System.Diagnostics;
using System.Text.Json;
using A3.Tests;

namespace A3.Cli.Tests;

/// <summary><c>a3 compress</c> as a separate process on the real fixture.</summary>
public sealed class CompressVerbTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-compress-cli-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private static string[] Arguments(string output, int samples) =>
    [
        "compress", "--model", Fixtures.Require("hf/stories260K-llama"),
        "--calibration", Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt"), "--calibration-take", "200",
        "--samples", samples.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seq-len", "128",
        "--budget", "0.2", "--out", output,
    ];

    [SkippableFact]
    public async Task Compress_writes_a_loadable_model_and_its_report()
    {
        var output = Path.Combine(scratch, "model");

        var run = await CliRunner.RunAsync([.. Arguments(output, 16), "--json"]);
        var eval = await CliRunner.RunAsync(["eval", "--model", output, "--data", Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt"), "--protocol", "documents", "--skip-docs", "500", "--max-docs", "5", "--json"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("compress layer 4", run.Stderr, StringComparison.Ordinal);
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "a3-report.json"))).RootElement;
        Assert.Equal("a3", report.GetProperty("method").GetString());
        Assert.InRange(report.GetProperty("decoder_removed_fraction").GetDouble(), 0.15, 0.25);
        Assert.Equal(5, report.GetProperty("layers").GetArrayLength());
        Assert.True(report.GetProperty("after").GetProperty("kv_bytes_per_token").GetInt64() < report.GetProperty("before").GetProperty("kv_bytes_per_token").GetInt64());
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.True(double.IsFinite(JsonDocument.Parse(eval.Stdout).RootElement.GetProperty("perplexity").GetDouble()));
    }

    [SkippableFact]
    public async Task Ctrl_c_during_compression_exits_130_and_leaves_no_output()
    {
        var output = Path.Combine(scratch, "interrupted");
        using var process = CliRunner.Start(Arguments(output, 256));
        var stdout = process.StandardOutput.ReadToEndAsync();

        // Interrupt once the layer loop is running (the first progress line), as a user would.
        string? line;
        while ((line = await process.StandardError.ReadLineAsync()) is not null && !line.Contains("compress layer", StringComparison.Ordinal))
        {
        }

        Assert.NotNull(line);
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var rest = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await stdout;

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("cancelled", rest, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(scratch));
    }
}
