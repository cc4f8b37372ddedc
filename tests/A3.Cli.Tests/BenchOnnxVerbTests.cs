using System.Text.Json;
using A3.Tests;

namespace A3.Cli.Tests;

/// <summary><c>a3 bench-onnx</c> end to end: stories260K compressed for real, and the stories260K preset at shape-equivalent synthetic sizes.</summary>
public sealed class BenchOnnxVerbTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-cli-bench-onnx-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public async Task A_real_model_gets_three_rows_with_positive_figures_and_leaves_nothing_behind()
    {
        var model = Fixtures.Require("hf/stories260K-llama");
        var data = Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt");
        var work = Directory.CreateDirectory(Path.Combine(scratch, "work")).FullName;
        var table = Path.Combine(scratch, "onnx.md");

        var run = await CliRunner.RunAsync(
            ["bench-onnx", "--model", model, "--calibration-data", data, "--scratch", work, "--out", table, "--prefill-lengths", "8,16", "--decode-tokens", "4", "--rounds", "1"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(work));
        var lines = File.ReadAllText(table).TrimEnd('\n').Split('\n');
        Assert.Contains("| prefill 8 tok/s | prefill 16 tok/s | decode tok/s |", lines[2], StringComparison.Ordinal);
        Assert.Equal(["original", "a3-uniform", "svd-llm"], lines[4..].Select(line => line.Split(" | ")[0].TrimStart('|', ' ')));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(table, ".json")));
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        foreach (var row in rows)
        {
            Assert.True(row.GetProperty("weight_bytes").GetInt64() > 0);
            Assert.True(row.GetProperty("decode_tokens_per_second").GetDouble() > 0);
            Assert.All(row.GetProperty("prefill_tokens_per_second").EnumerateArray(), rate => Assert.True(rate.GetDouble() > 0));
        }

        // Same budget: both compressed models have fewer decoder-linear parameters than the original.
        var parameters = rows.Select(row => row.GetProperty("decoder_linear_parameters").GetInt64()).ToList();
        Assert.True(parameters[1] < parameters[0] && parameters[2] < parameters[0]);
    }

    [SkippableFact]
    public async Task A_preset_is_measured_at_the_compressed_shapes()
    {
        Fixtures.Require("hf/stories260K-llama/tokenizer.model");
        var table = Path.Combine(scratch, "preset.md");

        var run = await CliRunner.RunAsync(
            ["bench-onnx", "--preset", "stories260k", "--layers", "1", "--fixtures", Fixtures.Root, "--scratch", scratch, "--out", table, "--prefill-lengths", "8", "--decode-tokens", "2", "--rounds", "1"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var text = File.ReadAllText(table);
        Assert.Contains("shape-equivalent", text, StringComparison.Ordinal);
        Assert.Contains("| svd-llm | 8/8/172 ranks down_proj=37 gate_proj=37 k_proj=17 o_proj=25 q_proj=25 up_proj=37 v_proj=17 |", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_and_preset_together_are_refused()
    {
        var run = await CliRunner.RunAsync(["bench-onnx", "--model", scratch, "--preset", "stories260k"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("either --model", run.Stderr, StringComparison.Ordinal);
    }
}
