using System.Text.Json;
using A3.Tests;

namespace A3.Cli.Tests;

/// <summary><c>a3 compress</c> with options instead of a recipe: an in-memory recipe on the same path, its errors named by option.</summary>
public sealed class CompressVerbTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-compress-cli-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    /// <summary>Flag-mode arguments over the fixture, the same run as <see cref="SmallRecipe"/>; <paramref name="options"/> (pairs of option and value) add to or replace the defaults.</summary>
    private static string[] Arguments(string output, params string[] options)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["--model"] = Fixtures.Require("hf/stories260K-llama"),
            ["--calibration"] = Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt"),
            ["--calibration-take"] = "200",
            ["--samples"] = "16",
            ["--seq-len"] = "96",
            ["--selection-samples"] = "4",
            ["--search-levels"] = "4",
            ["--search-evaluations"] = "8",
            ["--device"] = "cpu",
            ["--out"] = output,
        };
        for (var i = 0; i < options.Length; i += 2)
        {
            values[options[i]] = options[i + 1];
        }

        return ["compress", .. values.SelectMany(pair => new[] { pair.Key, pair.Value })];
    }

    [SkippableFact]
    public async Task Options_compress_to_the_bytes_of_the_same_recipe_and_the_model_evaluates()
    {
        var options = Path.Combine(scratch, "options");
        var recipe = Path.Combine(scratch, "recipe");

        var flags = await CliRunner.RunAsync([.. Arguments(options, "--budget", "0.2"), "--no-cache"]);
        var file = await CliRunner.RunAsync(["compress", SmallRecipe.Write(scratch, "budget: 0.2"), "--out", recipe, "--no-cache"]);
        var eval = await CliRunner.RunAsync(["eval", "--model", options, "--data", Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt"), "--protocol", "documents", "--skip-docs", "500", "--max-docs", "5", "--json"]);

        Assert.True(flags.ExitCode == 0, flags.Stderr);
        Assert.True(file.ExitCode == 0, file.Stderr);
        Assert.Contains("a3: compress layer 4", flags.Stderr, StringComparison.Ordinal);
        foreach (var name in new[] { "a3-report.json", "config.json", "model.safetensors", "tokenizer.model" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(options, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(recipe, name))), $"{name} differs");
        }

        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.True(double.IsFinite(JsonDocument.Parse(eval.Stdout).RootElement.GetProperty("perplexity").GetDouble()));
    }

    [SkippableTheory]
    [InlineData("--budget 1.5", "error A3102: --budget must be in (0, 1), got 1.5")]
    [InlineData("--qk 0.2 --budget 0.2", "error A3105: --budget conflicts with the explicit ratio 'qk'")]
    [InlineData("--method svd --qk 0.2", "error A3105: the svd baseline takes a 'budget'")]
    [InlineData("--budget 0.2 --samples 0", "error A3102: --samples must be")]
    [InlineData("--budget 0.2 --samples 20000000", "error A3102: --samples must be between 1 and 65536, got 20000000")]
    [InlineData("--budget 0.2 --seq-len 100000", "error A3003: --seq-len (100000) is more than the model context 512")]
    public async Task A_wrong_option_is_named_by_the_option_and_nothing_is_written(string compression, string expected)
    {
        var output = Path.Combine(scratch, "never");

        var run = await CliRunner.RunAsync(Arguments(output, compression.Split(' ')));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"a3: {expected}", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("calibration.", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("compression.", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task A_mistyped_option_is_an_unknown_option_not_a_missing_recipe()
    {
        var run = await CliRunner.RunAsync(["compress", "--dry-runn", "--out", Path.Combine(scratch, "x")]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error A3001: unknown option --dry-runn", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_recipe_or_a_model_the_command_says_what_to_give()
    {
        var run = await CliRunner.RunAsync(["compress", "--out", Path.Combine(scratch, "x")]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error A3001: give a recipe", run.Stderr, StringComparison.Ordinal);
    }
}
