using System.Text.Json;
using A3.Tests;

namespace A3.Cli.Tests;

/// <summary><c>a3 bench</c> end to end on the stories260K shape: the table's rows, its figures and the temporary folder.</summary>
public sealed class BenchVerbTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-cli-bench-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public async Task Bench_writes_one_row_per_preset_and_layer_count_with_finite_positive_figures()
    {
        Fixtures.Require("hf/stories260K-llama/tokenizer.model");
        var checkpoints = Directory.CreateDirectory(Path.Combine(scratch, "checkpoints")).FullName;
        var table = Path.Combine(scratch, "bench.md");

        var run = await CliRunner.RunAsync(
            ["bench", "--presets", "stories260k", "--layers", "1,2", "--windows", "2", "--seq-len", "16", "--device", "cpu", "--fixtures", Fixtures.Root, "--scratch", checkpoints, "--out", table,
             "--prefill-lengths", "32,64", "--decode-tokens", "4", "--rounds", "1"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("a3: stories260k prefill 1/1", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("a3: stories260k a3-uniform compress layer 1", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(checkpoints));

        // Three tables: the checkpoints, the compressions (two methods per row), the inference comparison (three models per row).
        var tables = File.ReadAllText(table).Split("\n\n");
        Assert.Equal(3, tables.Length);
        var runtime = tables[0].TrimEnd('\n').Split('\n');
        Assert.StartsWith("| preset | layers |", runtime[0], StringComparison.Ordinal);
        Assert.StartsWith("| stories260k | 1 | 2 × 16 | cpu |", runtime[2], StringComparison.Ordinal);
        Assert.StartsWith("| stories260k | 2 | 2 × 16 | cpu |", runtime[3], StringComparison.Ordinal);
        Assert.Equal(["a3-uniform", "svd-llm", "a3-uniform", "svd-llm"], tables[1].TrimEnd('\n').Split('\n')[2..].Select(line => line.Split(" | ")[2]));
        Assert.Equal(["original", "a3-uniform", "svd-llm", "original", "a3-uniform", "svd-llm"], tables[2].TrimEnd('\n').Split('\n')[2..].Select(line => line.Split(" | ")[2]));
        Assert.Equal(File.ReadAllText(table).TrimEnd('\n'), run.Stdout.TrimEnd('\n'));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(table, ".json")));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([1, 2], rows.Select(row => row.GetProperty("runtime").GetProperty("layers").GetInt32()));
        foreach (var row in rows.Select(row => row.GetProperty("runtime")))
        {
            foreach (var figure in new[] { "checkpoint_bytes", "write_seconds", "gemm_gflops", "load_seconds", "prefill_seconds", "prefill_tokens_per_second", "prefill_gflops", "roofline_fraction", "peak_rss_bytes", "layer_forward_seconds", "layer_forward_gflops" })
            {
                var value = row.GetProperty(figure).GetDouble();
                Assert.True(double.IsFinite(value) && value > 0, $"{figure} = {value}");
            }

            Assert.Equal(2 * 16 / row.GetProperty("prefill_seconds").GetDouble(), row.GetProperty("prefill_tokens_per_second").GetDouble(), 6);
        }

        // Each row ran in a child process of its own, which compressed before anything else: the compression's peak is that process's.
        foreach (var compression in rows.Select(row => row.GetProperty("compression")))
        {
            Assert.All(compression.GetProperty("compressions").EnumerateArray(), method => Assert.True(method.GetProperty("peak_rss_bytes").GetInt64() > 0));
            var speeds = compression.GetProperty("inference").EnumerateArray().Select(model => model.GetProperty("speed")).ToList();
            Assert.All(speeds, speed => Assert.Equal(["32", "64"], speed.GetProperty("prefill_tokens_per_second").EnumerateObject().Select(length => length.Name)));
        }
    }

    [Fact]
    public async Task An_unknown_preset_is_refused_with_the_known_ones()
    {
        var run = await CliRunner.RunAsync(["bench", "--presets", "llama-4", "--device", "cpu"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown preset \"llama-4\" in --presets", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("llama-3-8b", run.Stderr, StringComparison.Ordinal);
    }
}
