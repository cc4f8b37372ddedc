using A3.Tests;

namespace A3.Cli.Tests;

/// <summary>The pre-flight of <c>a3 compress RECIPE</c>: mistakes in the data or plan stop the run before any compression, located in the recipe.</summary>
public sealed class PreflightTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-preflight-cli-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public async Task A_model_folder_that_holds_no_model_is_reported_at_the_recipe_line()
    {
        var folder = Directory.CreateDirectory(Path.Combine(scratch, "not-a-model")).FullName;
        File.WriteAllText(Path.Combine(scratch, "calibration.txt"), "Once upon a time.");
        var recipe = Path.Combine(scratch, "folder.a3.yaml");
        File.WriteAllText(recipe, "version: 1\nname: folder\nmodel: not-a-model\ncalibration:\n  data: calibration.txt\ncompression:\n  budget: 0.2\n");

        var run = await CliRunner.RunAsync(["compress", recipe, "--dry-run", "--no-cache"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"{recipe}(3,8): error A3002: 'model': the model folder has no config.json (expected a Hugging Face model folder) ({folder})", run.Stderr.Trim());
    }

    [SkippableFact]
    public async Task A_dry_run_checks_the_recipe_and_writes_nothing()
    {
        var recipe = SmallRecipe.Write(scratch, "budget: 0.2");

        var run = await CliRunner.RunAsync(["compress", recipe, "--dry-run", "--cache", Path.Combine(scratch, "cache")]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Matches(@"a3: pre-flight ok: 5 layers, 260K params, 16×96 calibration tokens from 200 documents \([\d,]+ tokens\) in [\d.]+ s", run.Stderr);
        Assert.DoesNotContain("compress layer", run.Stderr, StringComparison.Ordinal);
        Assert.Equal([recipe], Directory.GetFileSystemEntries(scratch));
    }

    [SkippableFact]
    public async Task A_device_override_this_machine_cannot_run_fails_the_dry_run_and_the_run_before_the_preflight()
    {
        Skip.If(TorchSharp.torch.cuda.is_available(), "this machine has CUDA");
        var recipe = SmallRecipe.Write(scratch, "budget: 0.2");

        var dryRun = await CliRunner.RunAsync(["compress", recipe, "--dry-run", "--device", "cuda"]);
        var run = await CliRunner.RunAsync(["compress", recipe, "--device", "cuda", "--out", Path.Combine(scratch, "out"), "--no-cache"]);

        foreach (var result in new[] { dryRun, run })
        {
            Assert.Equal(2, result.ExitCode);
            Assert.StartsWith("a3: error A3003: --device asks for cuda, but CUDA is not available", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("pre-flight ok", result.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal([recipe], Directory.GetFileSystemEntries(scratch));
    }

    [SkippableFact]
    public async Task Calibration_data_shorter_than_one_window_fails_at_the_recipe_line_with_exit_2()
    {
        var data = Path.Combine(scratch, "short.txt");
        File.WriteAllText(data, "Once upon a time there was a cat.\n<|endoftext|>\nThe end.\n");
        var recipe = SmallRecipe.Write(scratch, "budget: 0.2");
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace(Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt"), data, StringComparison.Ordinal));
        var (line, column) = ValueLocation(recipe, "sequence_length:");

        var run = await CliRunner.RunAsync(["compress", recipe, "--out", Path.Combine(scratch, "out"), "--cache", Path.Combine(scratch, "cache"), "--stats-cache", Path.Combine(scratch, "stats")]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{recipe}({line},{column}): error A3020: 'calibration.sequence_length' (96) is more than the ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("tokens (with BOS) of the 2 selected documents; lower it or select more documents", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("compress layer", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(scratch, "out")));
        Assert.False(Directory.Exists(Path.Combine(scratch, "stats")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(scratch, "cache")));
    }

    [SkippableFact]
    public async Task An_override_past_the_last_layer_and_an_unreachable_budget_are_located()
    {
        var recipe = SmallRecipe.Write(scratch, "qk: 0.25\n  overrides:\n    - layers: 3-9\n      mlp: 0.5");
        var (line, column) = ValueLocation(recipe, "- layers:");

        var run = await CliRunner.RunAsync(["compress", recipe, "--dry-run"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{recipe}({line},{column}): error A3003: layers 3-9 lie outside the model's layers 0-4", run.Stderr, StringComparison.Ordinal);

        var greedy = SmallRecipe.Write(scratch, "budget: 0.99\n  allocation: greedy");
        var (budgetLine, budgetColumn) = ValueLocation(greedy, "budget:");
        var unreachable = await CliRunner.RunAsync(["compress", greedy, "--dry-run"]);
        Assert.Equal(2, unreachable.ExitCode);
        Assert.Contains($"{greedy}({budgetLine},{budgetColumn}): error A3003: a budget of 0.99 cannot be met", unreachable.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Returns the 1-based line and column where the value after <paramref name="key"/> starts.</summary>
    private static (int Line, int Column) ValueLocation(string file, string key)
    {
        var lines = File.ReadAllLines(file);
        var index = Array.FindIndex(lines, text => text.Contains(key, StringComparison.Ordinal));
        var start = lines[index].IndexOf(key, StringComparison.Ordinal) + key.Length;
        while (lines[index][start] == ' ')
        {
            start++;
        }

        return (index + 1, start + 1);
    }
}
