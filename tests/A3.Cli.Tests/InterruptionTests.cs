using System.Diagnostics;
using A3.Tests;

namespace A3.Cli.Tests;

/// <summary>
/// Ctrl+C or a kill during <c>a3 compress RECIPE</c> on a cache miss: no cache entry, no output
/// folder, only whole statistics entries; the next run computes and succeeds.
/// </summary>
public sealed class InterruptionTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-interrupt-cli-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private string CacheRoot => Path.Combine(scratch, "cache");

    private string StatisticsRoot => Path.Combine(scratch, "statistics");

    private string Output => Path.Combine(scratch, "out");

    [SkippableFact]
    public async Task Ctrl_C_exits_130_and_leaves_no_entry_and_no_output()
    {
        var recipe = WriteRecipe();
        var (process, _) = await StartAndWaitForFirstLayer(recipe);
        using (process)
        {
            using var signal = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await signal.WaitForExitAsync();
            await process.WaitForExitAsync();
            Assert.Equal(130, process.ExitCode);
        }

        // The lock file may stay (it is never deleted); no entry or temporary folder does.
        Assert.Empty(Directory.GetDirectories(CacheRoot));
        Assert.False(Directory.Exists(Output));
        AssertOnlyWholeStatistics();
        await AssertNextRunSucceeds(recipe);
    }

    [SkippableFact]
    public async Task A_killed_run_leaves_nothing_that_blocks_or_is_served_to_the_next_run()
    {
        var recipe = WriteRecipe();
        var (process, key) = await StartAndWaitForFirstLayer(recipe);
        using (process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        Assert.All(Directory.GetDirectories(CacheRoot), folder => Assert.StartsWith($".tmp-{key}-", Path.GetFileName(folder), StringComparison.Ordinal));

        // A kill while the model folder is being written leaves a half-filled temporary folder; make sure there is one.
        var stale = Directory.CreateDirectory(Path.Combine(CacheRoot, $".tmp-{key}-{Guid.NewGuid():N}")).FullName;
        File.WriteAllText(Path.Combine(stale, "model.safetensors"), "half");
        Assert.False(Directory.Exists(Output));
        AssertOnlyWholeStatistics(killed: true);
        await AssertNextRunSucceeds(recipe);

        // The stale temporary folder was removed by the run that stored the entry, under the key's lock.
        Assert.Equal([Path.Combine(CacheRoot, key)], Directory.GetDirectories(CacheRoot));
    }

    private string WriteRecipe()
    {
        // Large enough calibration that the run is still compressing when the first layer reports.
        var recipe = SmallRecipe.Write(scratch, "budget: 0.2");
        File.WriteAllText(recipe, File.ReadAllText(recipe)
            .Replace("samples: 16", "samples: 96", StringComparison.Ordinal)
            .Replace("sequence_length: 96", "sequence_length: 256", StringComparison.Ordinal));
        return recipe;
    }

    /// <summary>Starts a cache-missing compression and returns once layer 0 is done, with the artifact key it announced.</summary>
    private async Task<(Process Process, string Key)> StartAndWaitForFirstLayer(string recipe)
    {
        var process = CliRunner.Start(["compress", recipe, "--out", Output, "--cache", CacheRoot, "--stats-cache", StatisticsRoot]);
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var key = string.Empty;
        while (await process.StandardError.ReadLineAsync(timeout.Token) is string line)
        {
            if (line.StartsWith("a3: cache miss ", StringComparison.Ordinal))
            {
                key = line["a3: cache miss ".Length..].Trim();
            }
            else if (line.StartsWith("a3: compress layer 0 ", StringComparison.Ordinal))
            {
                _ = process.StandardError.ReadToEndAsync();
                return (process, key);
            }
        }

        process.Dispose();
        throw new InvalidOperationException("a3 compress ended before reporting its first layer");
    }

    /// <summary>Asserts that the statistics folder holds entries and nothing else; a kill may also leave a hidden temporary file, which is never read.</summary>
    private void AssertOnlyWholeStatistics(bool killed = false)
    {
        var files = Directory.GetFiles(StatisticsRoot).Where(file => !(killed && Path.GetFileName(file).StartsWith('.'))).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.Matches("^[0-9a-f]{64}\\.safetensors$", Path.GetFileName(file)));
    }

    private async Task AssertNextRunSucceeds(string recipe)
    {
        var next = await CliRunner.RunAsync(["compress", recipe, "--out", Output, "--cache", CacheRoot, "--stats-cache", StatisticsRoot]);
        Assert.True(next.ExitCode == 0, next.Stderr);
        Assert.Contains("a3: cache miss", next.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"a3: statistics: reused layers? 0", next.Stderr);
        Assert.True(File.Exists(Path.Combine(Output, "model.safetensors")));
    }
}
