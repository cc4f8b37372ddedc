using System.Text.Json;
using A3.Compression.Recipes;
using A3.Runtime.Reporting;
using A3.Tests;

namespace A3.Cli.Tests;

/// <summary><c>a3 compress RECIPE.a3.yaml</c>: the recipe is the single source of the options, and the command is the library's entry point.</summary>
public sealed class CompressRecipeTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-recipe-cli-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public async Task The_command_and_the_library_entry_point_write_the_same_bytes_and_the_printed_report_is_the_file()
    {
        var recipe = SmallRecipe.Write(scratch, "budget: 0.2", SmallRecipe.HeldOutEvaluation());
        var command = Path.Combine(scratch, "command");
        var library = Path.Combine(scratch, "library");

        var run = await CliRunner.RunAsync(["compress", recipe, "--out", command, "--json", "--no-cache"]);
        var result = await RecipeCompressor.CompressAsync(recipe, library);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var files = Directory.GetFiles(command).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["a3-report.json", "config.json", "model.safetensors", "tokenizer.model"], files);
        Assert.Equal(files, Directory.GetFiles(library).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(command, file!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(library, file!))), $"{file} differs");
        }

        var printed = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal("none", printed.GetProperty("cache").GetString());
        Assert.Equal(command, printed.GetProperty("output").GetString());
        var report = CompressionReportFile.ReadFromModelFolder(command);
        Assert.Equal(CompressionReportFile.Serialize(report), CompressionReportFile.Serialize(CompressionReportFile.Parse(printed.GetProperty("report").GetRawText(), "stdout")));
        Assert.Equal(CompressionReportFile.Serialize(report), CompressionReportFile.Serialize(result.Report));
        Assert.Equal("budget 0.2 (search)", report.Target);
        Assert.Equal(16 * 96, report.CalibrationTokens);
        Assert.True(double.IsFinite(report.Evaluation!.Perplexity));
        Assert.Equal(5, printed.GetProperty("run").GetProperty("layers").GetArrayLength());
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
        Assert.Contains("error A3001: a recipe gives the model, calibration and compression; remove --budget", run.Stderr, StringComparison.Ordinal);
    }
}
