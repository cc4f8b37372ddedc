using System.Diagnostics;
using A3.Tests;

namespace A3.Cli.Tests;

/// <summary>
/// Ctrl+C (SIGINT) or SIGTERM during <c>a3 compress RECIPE</c> on a cache miss, end to end through a real signal: exit 130 or 143, no cache entry,
/// no output folder, only whole statistics entries; the next run computes and succeeds. What a kill leaves behind,
/// and every other interruption, is tested in process in A3.Compression.Tests.
/// </summary>
public sealed class InterruptionTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-interrupt-cli-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private string CacheRoot => Path.Combine(scratch, "cache");

    private string StatisticsRoot => Path.Combine(scratch, "statistics");

    private string Output => Path.Combine(scratch, "out");

    [SkippableTheory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task A_signal_exits_as_shells_report_it_and_leaves_no_entry_and_no_output(string signalName, int exitCode)
    {
        var recipe = WriteRecipe();
        var (process, _) = await StartAndWaitForFirstLayer(recipe);
        using (process)
        {
            using var signal = Process.Start("kill", [$"-{signalName}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await signal.WaitForExitAsync();
            await process.WaitForExitAsync();
            Assert.Equal(exitCode, process.ExitCode);
        }

        // The lock file may stay (it is never deleted); no entry or temporary folder does.
        Assert.Empty(Directory.GetDirectories(CacheRoot));
        Assert.False(Directory.Exists(Output));
        AssertOnlyWholeStatistics();
        await AssertNextRunSucceeds(recipe);
    }

    private string WriteRecipe()
    {
        // Large enough calibration that the run is still compressing when the first layer reports; uniform, so
        // the first layer reports without a search's planning passes before it.
        var recipe = SmallRecipe.Write(scratch, "budget: 0.2\n  allocation: uniform");
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

    /// <summary>Asserts that the statistics folder holds whole entries and nothing else.</summary>
    private void AssertOnlyWholeStatistics()
    {
        var files = Directory.GetFiles(StatisticsRoot).ToList();
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
