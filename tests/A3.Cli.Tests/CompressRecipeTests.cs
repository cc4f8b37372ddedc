using System.Text.Json;
using A3.Tests;

namespace A3.Cli.Tests;

/// <summary><c>a3 compress RECIPE.a3.yaml</c>: the recipe is the single source of the options.</summary>
public sealed class CompressRecipeTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-recipe-cli-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public async Task A_recipe_compresses_evaluates_and_reports()
    {
        var recipe = SmallRecipe.Write(scratch, "budget: 0.2", $"""
            evaluation:
              data: {Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt")}
              protocol: documents
              skip_docs: 500
              max_docs: 5
            """);
        var output = Path.Combine(scratch, "out");

        var run = await CliRunner.RunAsync(["compress", recipe, "--out", output, "--json", "--no-cache"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "a3-report.json"))).RootElement;
        Assert.Equal("budget 0.2 (uniform)", report.GetProperty("target").GetString());
        Assert.Equal(16 * 96, report.GetProperty("calibration_tokens").GetInt64());
        Assert.True(double.IsFinite(report.GetProperty("evaluation").GetProperty("perplexity").GetDouble()));
    }

    [Fact]
    public async Task A_recipe_with_three_mistakes_reports_all_of_them_with_locations_and_exits_2()
    {
        var recipe = Path.Combine(scratch, "broken.a3.yaml");
        File.WriteAllText(recipe, "version: 1\nname: broken\nmodel: ./no-such-model\ncalibration:\n  data: ./no-such-data.txt\n  sampels: 8\ncompression:\n  qk: 1.5\n");

        var run = await CliRunner.RunAsync(["compress", recipe, "--out", Path.Combine(scratch, "never")]);

        Assert.Equal(2, run.ExitCode);
        var lines = run.Stderr.Trim().Split('\n');
        Assert.Contains(lines, line => line.StartsWith($"{recipe}(3,8): error A3104", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith($"{recipe}(6,3): error A3100", StringComparison.Ordinal) && line.Contains("did you mean 'samples'", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith($"{recipe}(8,7): error A3102", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(scratch, "never")));
    }

    [Fact]
    public async Task A_recipe_and_command_line_compression_options_together_are_refused()
    {
        var recipe = Path.Combine(scratch, "any.a3.yaml");
        File.WriteAllText(recipe, "version: 1\n");

        var run = await CliRunner.RunAsync(["compress", recipe, "--budget", "0.1", "--out", Path.Combine(scratch, "x")]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--budget", run.Stderr, StringComparison.Ordinal);
    }
}
