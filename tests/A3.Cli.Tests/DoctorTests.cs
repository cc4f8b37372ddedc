using System.Text.Json;
using A3.Cli.Output;

namespace A3.Cli.Tests;

public sealed class DoctorTests : IDisposable
{
    private readonly string cacheRoot = Path.Combine(Path.GetTempPath(), "a3-doctor-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(cacheRoot))
        {
            Directory.Delete(cacheRoot, recursive: true);
        }
    }

    [Fact]
    public async Task Parallel_first_starts_share_one_complete_patched_library()
    {
        var environment = new Dictionary<string, string> { ["A3_CACHE_DIR"] = cacheRoot };

        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => CliRunner.RunAsync(["doctor", "--json"], environment)));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Stderr));
        var reports = runs.Select(run => JsonDocument.Parse(run.Stdout).RootElement).ToList();
        Assert.All(reports, report => Assert.True(report.GetProperty("self_test_passed").GetBoolean()));
        var loaded = reports.Select(report => report.GetProperty("lib_torch_sharp").GetString()).Distinct().ToList();
        Assert.Single(loaded);
        if (reports[0].GetProperty("patched").GetBoolean())
        {
            Assert.StartsWith(cacheRoot, loaded[0], StringComparison.Ordinal);
            var files = Directory.GetFiles(Path.Combine(cacheRoot, "native"), "*", SearchOption.AllDirectories);
            Assert.Equal([loaded[0]!], files);
        }
    }

    [Fact]
    public async Task Unknown_options_exit_with_code_2_and_one_line()
    {
        var run = await CliRunner.RunAsync(["doctor", "--no-such-option"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.Contains("A3001", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_text_report_starts_every_value_in_one_column()
    {
        var run = await CliRunner.RunAsync(["doctor"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["libtorch:", "libLibTorchSharp:", "libstdc++:", "CUDA available:", "self-test:"], lines.Select(line => line[..18].TrimEnd()));
        Assert.All(lines, line => Assert.NotEqual(' ', line[18]));
    }

    [Fact]
    public void Json_keeps_quotes_and_angle_brackets_readable()
    {
        using var output = new StringWriter();
        var console = new CliConsole(output, TextWriter.Null);

        console.Json(new DoctorReport("/opt/\"torch\" <|endoftext|> & co", "env", "lib", false, null, false, true), CliJsonContext.Default.DoctorReport);

        Assert.Contains("\"libtorch_directory\": \"/opt/\\\"torch\\\" <|endoftext|> & co\"", output.ToString(), StringComparison.Ordinal);
    }
}
