using A3.Compression.Calibration;
using A3.Compression;
using A3.Compression.Budget;
using A3.Runtime.Reporting;
using A3.Compression.Statistics;
using A3.Runtime.Model;
using A3.Runtime.Progress;
using A3.Tests;
using TorchSharp;

namespace A3.Compression.Tests;

/// <summary>
/// The layer statistics cache: reuse gives the same bytes as computing, keys cover exactly what
/// the statistics depend on, corrupt entries are recomputed and interrupted runs keep what they finished.
/// </summary>
public sealed class StatisticsCacheTests : IDisposable
{
    private const string ModelIdentity = "stories260K-llama test identity";

    private readonly string scratch = Directory.CreateTempSubdirectory("a3-stats-cache-").FullName;
    private readonly List<string> log = [];

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private string CacheRoot => Path.Combine(scratch, "statistics");

    private static CompressionOptions Ratios(double qk, double ov, double mlp, bool sequential = true, params LayerRatioOverride[] overrides) =>
        new() { Ratios = new ComponentRatios(qk, ov, mlp), Overrides = overrides, Sequential = sequential };

    [SkippableTheory]
    [InlineData(CompressionMethod.A3, BudgetAllocation.Greedy)]
    [InlineData(CompressionMethod.SvdLlm, BudgetAllocation.Uniform)]
    public void Stored_then_reloaded_statistics_give_the_bytes_of_a_run_without_the_cache(CompressionMethod method, BudgetAllocation allocation)
    {
        var options = new CompressionOptions { Method = method, Budget = 0.2, Allocation = allocation };

        var uncached = Run(options, cache: false, "uncached");
        var storing = Run(options, cache: true, "storing");
        var reusing = Run(options, cache: true, "reusing");

        // Greedy planning collects the original model's statistics; layer 0's are also the sequential pass's, so even the first run reuses them.
        Assert.Equal(Enumerable.Range(0, 5).Select(index => index == 0 && allocation == BudgetAllocation.Greedy), storing.Layers.Select(layer => layer.StatisticsReused));
        Assert.All(reusing.Layers, layer => Assert.True(layer.StatisticsReused));
        AssertSameModel("uncached", "storing");
        AssertSameModel("uncached", "reusing");
    }

    [SkippableFact]
    public void A_ratio_change_in_non_sequential_mode_reuses_every_layer()
    {
        Run(Ratios(0.25, 0.25, 0.25, sequential: false), cache: true, "warm");
        var changed = Ratios(0.5, 0.25, 0.1, sequential: false);

        var reusing = Run(changed, cache: true, "reusing");
        Run(changed, cache: false, "cold");

        Assert.All(reusing.Layers, layer => Assert.True(layer.StatisticsReused));
        AssertSameModel("cold", "reusing");
    }

    [SkippableFact]
    public void A_change_in_layer_k_reuses_exactly_layers_up_to_k_in_sequential_mode()
    {
        const int k = 2;
        Run(Ratios(0.25, 0.25, 0.25), cache: true, "warm");
        var changed = Ratios(0.25, 0.25, 0.25, sequential: true, new LayerRatioOverride(k, k, new ComponentRatios(0.5, 0.5, 0.5)));

        var reusing = Run(changed, cache: true, "reusing");
        Run(changed, cache: false, "cold");

        Assert.Equal([true, true, true, false, false], reusing.Layers.Select(layer => layer.StatisticsReused));
        AssertSameModel("cold", "reusing");
    }

    [SkippableFact]
    public void A_corrupt_entry_is_reported_recomputed_and_rewritten()
    {
        var options = Ratios(0.25, 0.25, 0.25, sequential: false);
        Run(options, cache: true, "warm");
        var entries = Directory.GetFiles(CacheRoot, "*.safetensors");
        Assert.Equal(5, entries.Length);
        var victim = entries[0];
        var bytes = File.ReadAllBytes(victim);
        bytes[^1] ^= 0x40;
        File.WriteAllBytes(victim, bytes);

        var recovered = Run(options, cache: true, "recovered");
        var again = Run(options, cache: true, "again");

        var key = Path.GetFileNameWithoutExtension(victim);
        Assert.Contains($"statistics entry {key} is corrupt (data hash mismatch); recomputing", log);
        Assert.Equal(4, recovered.Layers.Count(layer => layer.StatisticsReused));
        Assert.All(again.Layers, layer => Assert.True(layer.StatisticsReused));
        AssertSameModel("warm", "recovered");
    }

    [SkippableFact]
    public void A_truncated_entry_is_corrupt_too()
    {
        var options = Ratios(0.25, 0.25, 0.25, sequential: false);
        Run(options, cache: true, "warm");
        var victim = Directory.GetFiles(CacheRoot, "*.safetensors")[0];
        using (var stream = new FileStream(victim, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        var recovered = Run(options, cache: true, "recovered");

        Assert.Contains(log, line => line.StartsWith($"statistics entry {Path.GetFileNameWithoutExtension(victim)} is corrupt", StringComparison.Ordinal));
        Assert.Equal(4, recovered.Layers.Count(layer => layer.StatisticsReused));
        AssertSameModel("warm", "recovered");
    }

    [SkippableFact]
    public void A_cancelled_run_keeps_the_finished_layers_and_nothing_partial()
    {
        // Asked here, not inside the lambda below, so an absent fixture skips instead of failing ThrowsAny.
        Fixtures.Require("hf/stories260K-llama");
        var options = Ratios(0.25, 0.25, 0.25, sequential: false);
        using var cancellation = new CancellationTokenSource();
        var progress = new CallbackProgress(update =>
        {
            if (update.Stage.StartsWith("compress layer 1 ", StringComparison.Ordinal))
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => Run(options, cache: true, "cancelled", progress, cancellation.Token));

        // Only whole entries, one per finished layer: no temporary files, nothing else.
        Assert.Equal(2, Directory.GetFiles(CacheRoot).Length);
        Assert.Equal(2, Directory.GetFiles(CacheRoot, "*.safetensors").Length);
        var resumed = Run(options, cache: true, "resumed");
        Run(options, cache: false, "cold");
        Assert.Equal([true, true, false, false, false], resumed.Layers.Select(layer => layer.StatisticsReused));
        AssertSameModel("cold", "resumed");
    }

    [SkippableFact]
    public void Other_calibration_windows_or_another_model_identity_never_hit()
    {
        var options = Ratios(0.25, 0.25, 0.25, sequential: false);
        Run(options, cache: true, "warm");
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require("hf/stories260K-llama"));
        var otherSeed = CalibrationSetBuilder.Build(
            Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt"),
            checkpoint.Tokenizer,
            new CalibrationOptions { Take = 200, Samples = 16, SequenceLength = 96, Seed = 2 });

        using var reseeded = ModelCompressor.Compress(checkpoint, otherSeed, options, new LayerStatisticsCache(CacheRoot, ModelIdentity));
        using var renamed = ModelCompressor.Compress(checkpoint, Calibration(checkpoint), options, new LayerStatisticsCache(CacheRoot, ModelIdentity + " v2"));
        using var bfloat = ModelCompressor.Compress(checkpoint, Calibration(checkpoint), options with { ComputeType = torch.ScalarType.BFloat16 }, new LayerStatisticsCache(CacheRoot, ModelIdentity));

        Assert.All(reseeded.Report.Layers.Concat(renamed.Report.Layers).Concat(bfloat.Report.Layers), layer => Assert.False(layer.StatisticsReused));
    }

    private static CalibrationSet Calibration(ModelCheckpoint checkpoint) =>
        CalibrationSetBuilder.Build(
            Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt"),
            checkpoint.Tokenizer,
            new CalibrationOptions { Take = 200, Samples = 16, SequenceLength = 96, Seed = 1 });

    /// <summary>Compresses the fixture, with or without the cache, and writes the result to <paramref name="folder"/> under the scratch folder.</summary>
    private CompressionReport Run(CompressionOptions options, bool cache, string folder, IProgressReporter? progress = null, CancellationToken cancellationToken = default)
    {
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require("hf/stories260K-llama"));
        var statisticsCache = cache ? new LayerStatisticsCache(CacheRoot, ModelIdentity, log.Add) : null;
        using var compressed = ModelCompressor.Compress(checkpoint, Calibration(checkpoint), options, statisticsCache, progress, cancellationToken);
        compressed.Write(Path.Combine(scratch, folder), checkpoint.Path, torch.ScalarType.Float32);
        return compressed.Report;
    }

    private void AssertSameModel(string expected, string actual)
    {
        foreach (var file in new[] { "config.json", "model.safetensors" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(scratch, expected, file)), File.ReadAllBytes(Path.Combine(scratch, actual, file)));
        }
    }

    private sealed class CallbackProgress(Action<ProgressUpdate> report) : IProgressReporter
    {
        public void Report(ProgressUpdate update) => report(update);
    }
}
