using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using A3.Tests;
using Xunit.Abstractions;

namespace A3.Cli.Tests;

/// <summary>
/// The fault half of the harness: <c>a3 compress RECIPE</c> is killed (SIGKILL, SIGINT or SIGTERM) at seeded random
/// moments, over caches and an output folder that every trial shares and that earlier kills may have left in any state,
/// alternating two recipes so that an output from the other recipe is often in place, with the caches emptied before most
/// trials so that the kills land in compressions as well as in cache-hit publishes. After each kill the output folder
/// must be absent or one whole output; each rerun must then succeed with output byte-identical to a clean run's.
/// </summary>
/// <remarks>
/// <c>A3_FAULT_TRIALS</c> raises the trial count for a longer run (the note of issue 12 reports one); the default keeps
/// the suite quick. Trials are classified as in the issue: clean ends, crashes, hangs and corrupted outputs served.
/// </remarks>
public sealed class FaultTrialTests(ITestOutputHelper output) : IDisposable
{
    private const int DefaultTrials = 8;

    private static readonly TimeSpan HangLimit = TimeSpan.FromMinutes(2);

    private readonly string scratch = Directory.CreateTempSubdirectory("a3-fault-cli-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public async Task Kills_at_random_moments_never_leave_a_partial_output_and_every_rerun_is_byte_identical()
    {
        var recipes = new[] { WriteRecipe("budget-02", "budget: 0.2"), WriteRecipe("budget-03", "budget: 0.3") };
        var references = new Dictionary<string, Dictionary<string, string>>();
        var cleanRunTime = TimeSpan.Zero;
        foreach (var recipe in recipes)
        {
            var folder = Path.Combine(scratch, "reference-" + Path.GetFileNameWithoutExtension(recipe));
            var watch = Stopwatch.StartNew();
            var clean = await CliRunner.RunAsync(Compress(recipe, folder, "reference"));
            cleanRunTime = TimeSpan.FromTicks(Math.Max(cleanRunTime.Ticks, watch.Elapsed.Ticks));
            Assert.True(clean.ExitCode == 0, clean.Stderr);
            references[recipe] = Hashes(folder);
        }

        var trials = int.TryParse(Environment.GetEnvironmentVariable("A3_FAULT_TRIALS"), CultureInfo.InvariantCulture, out var asked) ? asked : DefaultTrials;
        var random = new Random(20261129);
        var tally = new FaultTally();
        var shared = Path.Combine(scratch, "out");
        for (var trial = 0; trial < trials; trial++)
        {
            var recipe = recipes[trial % recipes.Length];
            var signal = random.Next(5) switch { 0 => "INT", 1 => "TERM", _ => "KILL" };
            var delay = TimeSpan.FromMilliseconds(random.NextDouble() * 1.2 * cleanRunTime.TotalMilliseconds);

            // Most kills should land inside a compression, not only in a cache hit's publish: empty the artifact
            // cache, or both caches, before two trials in three.
            ForgetCaches(random.Next(3));
            var killed = await RunAndSignal(Compress(recipe, shared, "shared"), signal, delay);
            tally.Count(killed, signal);
            AssertWholeOrAbsent(shared, references, tally, $"trial {trial} after {signal} at {delay.TotalMilliseconds:F0} ms");

            var rerun = await CliRunner.RunAsync(Compress(recipe, shared, "shared"), timeoutSeconds: (int)HangLimit.TotalSeconds);
            if (rerun.ExitCode != 0)
            {
                tally.FailedReruns++;
                output.WriteLine($"trial {trial}: the rerun exited {rerun.ExitCode}\n{rerun.Stderr}");
            }
            else if (!Hashes(shared).SequenceEqual(references[recipe]))
            {
                tally.Corrupted++;
                output.WriteLine($"trial {trial}: the rerun's output differs from the clean run's\n{rerun.Stderr}");
            }

            // The rerun cleaned what the kill left: the output's siblings and the cache's unfinished entries.
            Assert.Empty(Directory.GetDirectories(scratch, ".out.*"));
            Assert.Empty(Directory.GetDirectories(Path.Combine(scratch, "shared", "cache"), ".tmp-*"));
        }

        output.WriteLine($"{trials} trials: {tally}");
        Assert.Equal(0, tally.Crashes);
        Assert.Equal(0, tally.Hangs);
        Assert.Equal(0, tally.Corrupted);
        Assert.Equal(0, tally.FailedReruns);

        // A harness whose signals all came after the run ended would prove nothing.
        Assert.True(tally.Interrupted > 0, $"no trial was interrupted: {tally}");
    }

    /// <summary>0 keeps the shared caches, 1 deletes the artifact cache, 2 deletes both caches.</summary>
    private void ForgetCaches(int depth)
    {
        foreach (var cache in new[] { "cache", "statistics" }.Take(depth))
        {
            var folder = Path.Combine(scratch, "shared", cache);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private string WriteRecipe(string name, string compression)
    {
        var folder = Directory.CreateDirectory(Path.Combine(scratch, name)).FullName;
        return SmallRecipe.Write(folder, compression + "\n  allocation: uniform");
    }

    private string[] Compress(string recipe, string outputFolder, string caches) =>
        ["compress", recipe, "--out", outputFolder, "--cache", Path.Combine(scratch, caches, "cache"), "--stats-cache", Path.Combine(scratch, caches, "statistics")];

    /// <summary>Starts a run, sends <paramref name="signal"/> after <paramref name="delay"/>, and returns how it ended.</summary>
    private static async Task<KilledRun> RunAndSignal(string[] arguments, string signal, TimeSpan delay)
    {
        using var process = CliRunner.Start(arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var signalled = false;
        if (!process.WaitForExit(delay))
        {
            using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            signalled = true;
        }

        using var timeout = new CancellationTokenSource(HangLimit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new KilledRun(Signalled: signalled, ExitCode: null, await stderr);
        }

        await stdout;
        return new KilledRun(signalled, process.ExitCode, await stderr);
    }

    private void AssertWholeOrAbsent(string folder, Dictionary<string, Dictionary<string, string>> references, FaultTally tally, string trial)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        var hashes = Hashes(folder);
        if (!references.Values.Any(reference => reference.SequenceEqual(hashes)))
        {
            tally.Corrupted++;
            output.WriteLine($"{trial}: the output folder holds neither recipe's whole output: {string.Join(", ", hashes.Keys)}");
        }
    }

    /// <summary>
    /// Every file of <paramref name="folder"/> (relative name, in ordinal order) with its SHA-256; for the manifest, only
    /// its <c>outputs</c> section, because its run facts (creation time, seconds) differ by design (docs/REPRODUCIBILITY.md).
    /// </summary>
    private static Dictionary<string, string> Hashes(string folder) =>
        !Directory.Exists(folder)
            ? []
            : Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
                .ToDictionary(file => Path.GetRelativePath(folder, file), file => Convert.ToHexString(SHA256.HashData(Content(file))));

    private static byte[] Content(string file)
    {
        var bytes = File.ReadAllBytes(file);
        if (Path.GetFileName(file) != "a3-manifest.json")
        {
            return bytes;
        }

        try
        {
            return System.Text.Encoding.UTF8.GetBytes(JsonNode.Parse(bytes)?["outputs"]?.ToJsonString() ?? "no outputs");
        }
        catch (JsonException)
        {
            return bytes;
        }
    }

    private sealed record KilledRun(bool Signalled, int? ExitCode, string Stderr);

    /// <summary>The counts the issue asks for.</summary>
    private sealed class FaultTally
    {
        public int Completed { get; private set; }

        public int Interrupted { get; private set; }

        public int Crashes { get; private set; }

        public int Hangs { get; private set; }

        public int Corrupted { get; set; }

        public int FailedReruns { get; set; }

        /// <summary>
        /// Classifies a signalled run: it finished before the signal (exit 0), ended as a shell reports the signal
        /// (130, 143, or 137 for SIGKILL), hung past the limit, or crashed (any other exit, or a stack trace).
        /// </summary>
        public void Count(KilledRun run, string signal)
        {
            var expected = signal switch { "INT" => 130, "TERM" => 143, _ => 137 };
            if (run.ExitCode is null)
            {
                Hangs++;
            }
            else if (run.Stderr.Contains("Unhandled exception", StringComparison.Ordinal) || run.Stderr.Contains("\n   at ", StringComparison.Ordinal))
            {
                Crashes++;
            }
            else if (run.ExitCode == 0)
            {
                Completed++;
            }
            else if (run.Signalled && run.ExitCode == expected)
            {
                Interrupted++;
            }
            else
            {
                Crashes++;
            }
        }

        public override string ToString() =>
            $"{Interrupted} interrupted cleanly, {Completed} finished before the signal, {Crashes} crashes, {Hangs} hangs, {Corrupted} corrupted outputs, {FailedReruns} failed reruns";
    }
}
