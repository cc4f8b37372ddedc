using System.Text.Json;

namespace A3.Cli.Tests;

/// <summary><c>a3 compress RECIPE</c> with the statistics cache: a ratio change re-solves without another calibration pass.</summary>
public sealed class StatisticsCacheCliTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-stats-cli-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public async Task A_ratio_change_misses_the_artifact_cache_but_reuses_every_layers_statistics()
    {
        var recipe = SmallRecipe.Write(scratch, "qk: 0.25\n  ov: 0.25\n  mlp: 0.25\n  sequential: false");
        var first = await Compress(recipe, "first");
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("mlp: 0.25", "mlp: 0.5", StringComparison.Ordinal));

        var second = await Compress(recipe, "second");
        var cold = await CliRunner.RunAsync(["compress", recipe, "--out", Path.Combine(scratch, "cold"), "--no-cache"]);

        Assert.Contains("a3: statistics: reused no layers, collected layers 0-4", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("a3: cache miss", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("a3: statistics: reused layers 0-4, collected no layers", second.Stderr, StringComparison.Ordinal);
        Assert.True(cold.ExitCode == 0, cold.Stderr);
        Assert.DoesNotContain("a3: statistics:", cold.Stderr, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(scratch, "cold", "model.safetensors")), File.ReadAllBytes(Path.Combine(scratch, "second", "model.safetensors")));
        // Reuse is a fact of the run, not of the model: it is in the manifest, not in a3-report.json.
        var layers = JsonDocument.Parse(File.ReadAllText(Path.Combine(scratch, "second", "a3-manifest.json"))).RootElement.GetProperty("run").GetProperty("layers");
        Assert.All(layers.EnumerateArray(), layer => Assert.True(layer.GetProperty("statistics_reused").GetBoolean()));
    }

    [SkippableFact]
    public async Task No_stats_cache_collects_every_layer_and_stores_nothing()
    {
        var recipe = SmallRecipe.Write(scratch, "budget: 0.2");

        var run = await CliRunner.RunAsync(["compress", recipe, "--out", Path.Combine(scratch, "out"), "--cache", Path.Combine(scratch, "cache"), "--stats-cache", Path.Combine(scratch, "stats"), "--no-stats-cache"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(scratch, "stats")));
    }

    private async Task<CliResult> Compress(string recipe, string output)
    {
        var run = await CliRunner.RunAsync(["compress", recipe, "--out", Path.Combine(scratch, output), "--cache", Path.Combine(scratch, "cache"), "--stats-cache", Path.Combine(scratch, "stats")]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return run;
    }
}
