using System.Diagnostics;
using A3.Tests;

namespace A3.Cli.Tests;

/// <summary>
/// Bad input and a full disk end in one line on stderr and their documented exit code, never in a stack trace
/// (each case below printed <c>a3: internal error:</c> with the exception before).
/// </summary>
public sealed class InputFailureTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-input-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public async Task A_duplicate_key_in_config_json_is_a3011_naming_the_file()
    {
        var model = LinkedFixtureModel();
        var config = Path.Combine(model, "config.json");
        var text = File.ReadAllText(config);
        File.Delete(config);
        File.WriteAllText(config, text.Replace("\"hidden_size\": 64,", "\"hidden_size\": 64,\n  \"hidden_size\": 64,", StringComparison.Ordinal));

        var run = await CliRunner.RunAsync(["inspect", "--model", model]);

        AssertOneLine(run, 2, $"a3: {config}: error A3011: the model config is not valid JSON: Duplicate property 'hidden_size'");
    }

    [SkippableTheory]
    [InlineData("dangling")]
    [InlineData("loop")]
    public async Task A_recipe_link_that_leads_nowhere_is_one_located_line(string kind)
    {
        var recipe = Path.Combine(scratch, "r.a3.yaml");
        if (kind == "dangling")
        {
            File.CreateSymbolicLink(recipe, Path.Combine(scratch, "gone.a3.yaml"));
        }
        else
        {
            File.CreateSymbolicLink(recipe, recipe + ".other");
            File.CreateSymbolicLink(recipe + ".other", recipe);
        }

        var run = await CliRunner.RunAsync(["compress", recipe, "--out", Path.Combine(scratch, "out")]);

        AssertOneLine(run, 2, $"{recipe}(1,1): error A3104: the recipe file is a symbolic link that leads nowhere");
    }

    [SkippableTheory]
    [InlineData("--out", "compress", "RECIPE", "--out", "")]
    [InlineData("--cache", "compress", "RECIPE", "--out", "OUT", "--cache", "")]
    [InlineData("--stats-cache", "compress", "RECIPE", "--out", "OUT", "--stats-cache", "")]
    [InlineData("RECIPE", "compress", "", "--out", "OUT")]
    [InlineData("--model", "inspect", "--model", "")]
    [InlineData("--data", "eval", "--model", "MODEL", "--data", "", "--protocol", "documents")]
    public async Task An_empty_path_is_a3001_naming_the_option(string option, params string[] arguments)
    {
        var recipe = SmallRecipe.Write(scratch, "budget: 0.2");
        var resolved = arguments.Select(argument => argument switch
        {
            "RECIPE" => recipe,
            "OUT" => Path.Combine(scratch, "out"),
            "MODEL" => Fixtures.Require("hf/stories260K-llama"),
            _ => argument,
        });

        var run = await CliRunner.RunAsync(resolved);

        AssertOneLine(run, 2, $"a3: error A3001: {option} must not be empty");
    }

    [SkippableFact]
    public async Task A_cache_lock_that_is_a_folder_is_a3021_naming_it_and_a_file_where_the_entry_goes_is_rebuilt_over()
    {
        var recipe = SmallRecipe.Write(scratch, "budget: 0.2\n  allocation: uniform");
        var cache = Path.Combine(scratch, "cache");
        var first = await CliRunner.RunAsync(["compress", recipe, "--out", Path.Combine(scratch, "o1"), "--cache", cache, "--no-stats-cache"]);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var key = Directory.GetDirectories(cache).Select(Path.GetFileName).Single()!;

        Directory.Delete(Path.Combine(cache, key), recursive: true);
        File.Delete(Path.Combine(cache, key + ".lock"));
        Directory.CreateDirectory(Path.Combine(cache, key + ".lock"));
        var lockFolder = await CliRunner.RunAsync(["compress", recipe, "--out", Path.Combine(scratch, "o2"), "--cache", cache, "--no-stats-cache"]);
        AssertOneLine(lockFolder, 2, "a3: error A3021: ", Path.Combine(cache, key + ".lock"));

        Directory.Delete(Path.Combine(cache, key + ".lock"));
        File.WriteAllText(Path.Combine(cache, key), "a file where the entry goes");
        var entryFile = await CliRunner.RunAsync(["compress", recipe, "--out", Path.Combine(scratch, "o3"), "--cache", cache, "--no-stats-cache"]);

        // The cache owns its folder: a file in an entry's place is removed at the lookup, before the compression, not after it.
        Assert.True(entryFile.ExitCode == 0, entryFile.Stderr);
        Assert.Contains($"a3: cache entry {key} is a file or a link, not a folder; rebuilding", entryFile.Stderr, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(cache, key)));
    }

    [SkippableFact]
    public async Task More_than_a_hundred_recipe_errors_print_the_first_hundred_and_a_count()
    {
        var overrides = string.Concat(Enumerable.Range(0, 150).Select(i => $"\n    - layers: 0\n      qk: 2"));
        var recipe = SmallRecipe.Write(scratch, "qk: 0.1\n  overrides:" + overrides.Replace("\n", "\n  ", StringComparison.Ordinal));

        var run = await CliRunner.RunAsync(["compress", recipe, "--dry-run"]);

        Assert.Equal(2, run.ExitCode);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(101, lines.Length);
        Assert.All(lines[..100], line => Assert.Contains("error A3102:", line, StringComparison.Ordinal));
        Assert.Equal("... and 50 more", lines[100]);
    }

    [SkippableFact]
    public async Task A_full_disk_is_one_line_and_exit_1()
    {
        Skip.IfNot(File.Exists("/dev/full"), "needs /dev/full (Linux)");
        var info = new ProcessStartInfo("sh") { RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"exec dotnet '{CliRunner.CliPath}' schema > /dev/full");
        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        AssertOneLine(new CliResult(process.ExitCode, string.Empty, stderr), 1, "a3: error: no space left on device");
    }

    private static void AssertOneLine(CliResult run, int exitCode, string start, string? contains = null)
    {
        Assert.True(run.ExitCode == exitCode, $"exit {run.ExitCode}: {run.Stderr}");
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, line => !IsProgress(line));
        var line = lines.Single(line => !IsProgress(line));
        Assert.StartsWith(start, line, StringComparison.Ordinal);
        if (contains is not null)
        {
            Assert.Contains(contains, line, StringComparison.Ordinal);
        }
    }

    /// <summary>A progress line of a run that got as far as compressing (a3: cache miss, pre-flight ok, layer …); a stack trace's lines are not.</summary>
    private static bool IsProgress(string line) => line.StartsWith("a3: ", StringComparison.Ordinal) && !line.Contains("error", StringComparison.Ordinal);

    /// <summary>A folder of links to the stories260K fixture's files, so one can be replaced.</summary>
    private string LinkedFixtureModel()
    {
        var source = Fixtures.Require("hf/stories260K-llama");
        var model = Path.Combine(scratch, "model");
        Directory.CreateDirectory(model);
        foreach (var file in Directory.GetFiles(source))
        {
            File.CreateSymbolicLink(Path.Combine(model, Path.GetFileName(file)), file);
        }

        return model;
    }
}
