using System.Text.Json;
using A3.Tests;

namespace A3.Cli.Tests;

/// <summary>The content-addressed artifact cache of <c>a3 compress RECIPE</c> and <c>a3 verify</c>.</summary>
public sealed class CacheTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-cache-cli-").FullName;

    private string CacheRoot => Path.Combine(scratch, "cache");

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public async Task The_second_run_hits_and_materialises_the_same_bytes()
    {
        var recipe = WriteRecipe("budget: 0.2");
        var first = await Compress(recipe, "out1");
        Assert.Contains("a3: cache miss", first.Stderr, StringComparison.Ordinal);
        var second = await Compress(recipe, "out2", "--json");

        Assert.Contains("a3: cache hit", second.Stderr, StringComparison.Ordinal);
        var json = JsonDocument.Parse(second.Stdout).RootElement;
        Assert.Equal("hit", json.GetProperty("cache").GetString());
        Assert.Equal(Key(first), json.GetProperty("key").GetString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(scratch, "out1", "model.safetensors")), File.ReadAllBytes(Path.Combine(scratch, "out2", "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(scratch, "out2", "a3-manifest.json")));
    }

    [SkippableFact]
    public async Task Two_cold_runs_with_separate_caches_record_identical_output_hashes()
    {
        var recipe = WriteRecipe("budget: 0.2");

        var runs = new List<JsonElement>();
        foreach (var name in new[] { "cold1", "cold2" })
        {
            var run = await CliRunner.RunAsync(["compress", recipe, "--out", Path.Combine(scratch, name), "--cache", Path.Combine(scratch, name + "-cache"), "--stats-cache", Path.Combine(scratch, name + "-statistics")]);
            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.Contains("a3: cache miss", run.Stderr, StringComparison.Ordinal);
            runs.Add(JsonDocument.Parse(File.ReadAllText(Path.Combine(scratch, name, "a3-manifest.json"))).RootElement);
        }

        // Every output, the report included, has the same bytes; only the run facts (times) may differ.
        var outputs = runs.Select(manifest => manifest.GetProperty("outputs").GetRawText()).ToList();
        Assert.Equal(outputs[0], outputs[1]);
        Assert.Contains("a3-report.json", outputs[0], StringComparison.Ordinal);
        Assert.Contains("model.safetensors", outputs[0], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_comment_keeps_the_key_and_a_new_budget_changes_it()
    {
        var recipe = WriteRecipe("budget: 0.2");
        var first = await Compress(recipe, "out");
        File.WriteAllText(recipe, "# tuned by hand\n" + File.ReadAllText(recipe));

        var commented = await Compress(recipe, "out");
        Assert.Contains($"a3: cache hit {Key(first)}", commented.Stderr, StringComparison.Ordinal);

        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("budget: 0.2", "budget: 0.3", StringComparison.Ordinal));
        var budget = await Compress(recipe, "out");
        Assert.Contains("a3: cache miss", budget.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(Key(first), Key(budget));
    }

    [SkippableFact]
    public async Task A_corrupt_entry_is_reported_and_rebuilt()
    {
        var recipe = WriteRecipe("budget: 0.2");
        var first = await Compress(recipe, "out");
        var stored = Path.Combine(CacheRoot, Key(first), "model.safetensors");
        FlipLastByte(stored);

        var second = await Compress(recipe, "out");

        Assert.Contains($"a3: cache entry {Key(first)} is corrupt (model.safetensors changed); rebuilding", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("a3: cache miss", second.Stderr, StringComparison.Ordinal);
        var third = await Compress(recipe, "out");
        Assert.Contains("a3: cache hit", third.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Verify_passes_on_the_output_and_fails_after_a_byte_changes()
    {
        var recipe = WriteRecipe("budget: 0.2");
        var first = await Compress(recipe, "out");
        var output = Path.Combine(scratch, "out");

        var ok = await CliRunner.RunAsync(["verify", recipe, "--artifacts", output]);
        Assert.True(ok.ExitCode == 0, ok.Stdout + ok.Stderr);
        Assert.Equal($"ok {Key(first)}", ok.Stdout.Trim());

        FlipLastByte(Path.Combine(output, "model.safetensors"));
        var bad = await CliRunner.RunAsync(["verify", recipe, "--artifacts", output]);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("output model.safetensors changed", bad.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Verify_names_the_input_that_differs()
    {
        var recipe = WriteRecipe("budget: 0.2");
        await Compress(recipe, "out");
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("budget: 0.2", "budget: 0.3", StringComparison.Ordinal));

        var bad = await CliRunner.RunAsync(["verify", recipe, "--artifacts", Path.Combine(scratch, "out")]);

        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("input recipe", bad.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Two_concurrent_runs_of_one_key_both_succeed_and_store_one_entry()
    {
        var recipe = WriteRecipe("budget: 0.2");

        var runs = await Task.WhenAll(Compress(recipe, "a", check: false), Compress(recipe, "b", check: false));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Stderr));
        Assert.Single(Directory.GetDirectories(CacheRoot));
        Assert.Contains(runs, run => run.Stderr.Contains("a3: cache hit", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(scratch, "a", "model.safetensors")), File.ReadAllBytes(Path.Combine(scratch, "b", "model.safetensors")));
    }

    private static string Key(CliResult run)
    {
        var line = run.Stderr.Split('\n').First(l => l.StartsWith("a3: cache hit ", StringComparison.Ordinal) || l.StartsWith("a3: cache miss ", StringComparison.Ordinal));
        return line.Trim().Split(' ')[^1];
    }

    private static void FlipLastByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }

    private async Task<CliResult> Compress(string recipe, string output, string? extra = null, bool check = true)
    {
        List<string> arguments = ["compress", recipe, "--out", Path.Combine(scratch, output), "--cache", CacheRoot, "--stats-cache", Path.Combine(scratch, "statistics")];
        if (extra is not null)
        {
            arguments.Add(extra);
        }

        var run = await CliRunner.RunAsync(arguments);
        if (check)
        {
            Assert.True(run.ExitCode == 0, run.Stderr);
        }

        return run;
    }

    private string WriteRecipe(string compression) => SmallRecipe.Write(scratch, compression);
}
