using System.Diagnostics;
using A3.Runtime.Model;
using A3.Runtime.Native;
using A3.Runtime.Progress;
using TorchSharp;

namespace A3.Runtime.Benchmarks;

/// <summary>
/// Measures a preset at real layer shapes: writes its synthetic checkpoint, measures the device's matrix-product
/// roofline at its shapes, loads it, runs one prefill over a calibration-sized batch and reads the peak memory.
/// </summary>
public static class SyntheticBenchmark
{
    /// <summary>Tokens of the untimed forward pass that first runs every kernel of the model.</summary>
    private const int WarmupTokens = 8;

    /// <summary>Benchmarks <paramref name="preset"/>; its checkpoint is written under <paramref name="scratchFolder"/> and deleted afterwards, also on failure or cancellation.</summary>
    /// <param name="preset">The shapes to measure.</param>
    /// <param name="tokenizerSourcePath">The preset's tokenizer folder or file (its <see cref="SyntheticModelPreset.TokenizerFixture"/> resolved).</param>
    /// <param name="scratchFolder">A folder for the temporary checkpoint; created when missing, left in place.</param>
    /// <param name="options">Layers, batch, seed, storage dtype and device.</param>
    /// <param name="progress">Told each stage (<c>&lt;preset&gt; write …</c>, <c>gemm</c>, <c>load</c>, <c>prefill</c>) as it starts and ends; called synchronously.</param>
    /// <param name="cancellationToken">Checked between stages and tensors; a forward pass already in the native backend finishes first.</param>
    /// <returns>The row of the table.</returns>
    /// <exception cref="A3InputException">The tokenizer source holds no tokenizer.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static SyntheticBenchmarkResult Run(
        SyntheticModelPreset preset,
        string tokenizerSourcePath,
        string scratchFolder,
        SyntheticBenchmarkOptions options,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Windows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SequenceLength, 1);
        TorchNative.EnsureLoaded();
        var device = options.Device ?? torch.CPU;
        var config = preset.ToConfig(options.Layers);
        if (options.SequenceLength > config.MaxPositionEmbeddings)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SequenceLength, $"the sequence length exceeds {preset.Name}'s context of {config.MaxPositionEmbeddings}");
        }

        var folder = Path.Combine(Path.GetFullPath(scratchFolder), $"{preset.Name}-{options.Layers}");
        var stageProgress = Prefixed(progress, preset.Name);
        try
        {
            // Every stage reports the time since the preset's run began, so a stage's start shows on a throttled progress display.
            var clock = Stopwatch.StartNew();
            SyntheticCheckpointWriter.Write(folder, config, tokenizerSourcePath, options.Seed, options.StorageDtype, progress: stageProgress, cancellationToken: cancellationToken);
            var writeSeconds = clock.Elapsed.TotalSeconds;
            var checkpointBytes = new DirectoryInfo(folder).EnumerateFiles().Sum(file => file.Length);
            var tokens = options.Windows * options.SequenceLength;

            var gemm = Timed(stageProgress, "gemm", clock, () => GemmThroughput.Measure(config, tokens, device, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();

            stageProgress?.Report(new ProgressUpdate("load", 0, 1, clock.Elapsed));
            var loadClock = Stopwatch.StartNew();
            using var checkpoint = ModelCheckpoint.Open(folder);
            using var model = checkpoint.CreateModel(device, torch.ScalarType.Float32);
            var loadSeconds = loadClock.Elapsed.TotalSeconds;
            stageProgress?.Report(new ProgressUpdate("load", 1, 1, clock.Elapsed));
            cancellationToken.ThrowIfCancellationRequested();

            var prefillSeconds = Timed(stageProgress, "prefill", clock, () => Prefill(model, options, device));
            var flops = PrefillFlops.Of(config, options.Windows, options.SequenceLength);
            var gflops = flops / prefillSeconds / 1e9;
            return new SyntheticBenchmarkResult(
                preset.Name,
                options.Layers,
                options.Windows,
                options.SequenceLength,
                device.ToString(),
                checkpointBytes,
                writeSeconds,
                gemm,
                loadSeconds,
                prefillSeconds,
                tokens / prefillSeconds,
                gflops,
                gflops / gemm,
                PeakMemory.ProcessPeakResidentBytes(),
                SystemLoad.OneMinuteAverage());
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>Runs an untimed short pass, then returns the seconds of one forward pass over the whole batch of seeded token ids.</summary>
    private static double Prefill(DecoderModel model, SyntheticBenchmarkOptions options, torch.Device device)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(unchecked((ulong)options.Seed));
        var ids = torch.randint(0, model.Config.VocabSize, [options.Windows, options.SequenceLength], torch.ScalarType.Int64, generator: generator).to(device);
        GemmThroughput.Complete(model.Forward(ids.narrow(0, 0, 1).narrow(1, 0, Math.Min(WarmupTokens, options.SequenceLength))));
        var clock = Stopwatch.StartNew();
        var logits = model.Forward(ids);
        GemmThroughput.Complete(logits);
        var seconds = clock.Elapsed.TotalSeconds;
        if (!torch.isfinite(logits).all().item<bool>())
        {
            throw new InvalidOperationException("the forward pass over the synthetic checkpoint produced non-finite logits");
        }

        return seconds;
    }

    /// <summary>Reports <paramref name="stage"/> starting and ending, at the run's elapsed time, around <paramref name="measure"/>.</summary>
    private static T Timed<T>(IProgress<ProgressUpdate>? progress, string stage, Stopwatch run, Func<T> measure)
    {
        progress?.Report(new ProgressUpdate(stage, 0, 1, run.Elapsed));
        var value = measure();
        progress?.Report(new ProgressUpdate(stage, 1, 1, run.Elapsed));
        return value;
    }

    /// <summary>Names the preset in every stage, so interleaved presets read apart on stderr.</summary>
    private static IProgress<ProgressUpdate>? Prefixed(IProgress<ProgressUpdate>? progress, string name) =>
        progress is null ? null : new PrefixedProgress(progress, name);

    private sealed class PrefixedProgress(IProgress<ProgressUpdate> inner, string name) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => inner.Report(value with { Stage = $"{name} {value.Stage}" });
    }
}
