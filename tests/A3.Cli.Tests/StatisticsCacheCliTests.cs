using A3.Tests;

namespace A3.Cli.Tests;

/// <summary><c>a3 compress RECIPE</c> with the statistics cache: a ratio change re-solves without another calibration pass.</summary>
public sealed class StatisticsCacheCliTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-stats-cli-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public async Task No_stats_cache_collects_every_layer_and_stores_nothing()
    {
        var recipe = SmallRecipe.Write(scratch, "budget: 0.2");

        var run = await CliRunner.RunAsync(["compress", recipe, "--out", Path.Combine(scratch, "out"), "--cache", Path.Combine(scratch, "cache"), "--stats-cache", Path.Combine(scratch, "stats"), "--no-stats-cache"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(scratch, "stats")));
    }
}
