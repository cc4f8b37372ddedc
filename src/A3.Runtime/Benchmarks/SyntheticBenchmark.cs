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
    /// <param name="progress">Told each stage (<c>&lt;preset&gt; write …</c>, <c>gemm</c>, <c>load</c>, <c>prefill</c>, <c>layer forward</c>) as it starts and ends; called synchronously.</param>
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
        CheckBatch(preset.ToConfig(options.Layers), options);
        using var checkpoint = SyntheticCheckpoint.Create(preset, tokenizerSourcePath, scratchFolder, options, progress, cancellationToken);
        return Measure(checkpoint, options, progress, cancellationToken);
    }

    /// <summary>
    /// Measures a written checkpoint: the GEMM roofline at its shapes, its load, a prefill over the batch and one layer's
    /// forward pass. The process's peak memory is reset first (<see cref="PeakMemory.ResetPeak"/>), so the row's peak is
    /// this measurement's.
    /// </summary>
    /// <param name="checkpoint">The checkpoint; left in place.</param>
    /// <param name="options">Batch, seed and device (its layers and dtype are the checkpoint's).</param>
    /// <param name="progress">Told each stage as it starts and ends.</param>
    /// <param name="cancellationToken">Checked between stages.</param>
    /// <returns>The row of the table.</returns>
    public static SyntheticBenchmarkResult Measure(
        SyntheticCheckpoint checkpoint,
        SyntheticBenchmarkOptions options,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(options);
        TorchNative.EnsureLoaded();
        var device = options.Device ?? torch.CPU;
        var config = checkpoint.Config;
        CheckBatch(config, options);
        var stageProgress = PrefixedProgress.For(progress, checkpoint.Preset.Name);
        PeakMemory.ResetPeak();

        // Every stage reports the time since the preset's run began, so a stage's start shows on a throttled progress display.
        var clock = Stopwatch.StartNew();
        var tokens = options.Windows * options.SequenceLength;
        var gemm = Timed(stageProgress, "gemm", clock, () => GemmThroughput.Measure(config, tokens, device, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        var gemm64 = Timed(stageProgress, "gemm float64", clock, () => GemmThroughput.Measure(config, tokens, device, cancellationToken, torch.ScalarType.Float64));
        cancellationToken.ThrowIfCancellationRequested();

        stageProgress?.Report(new ProgressUpdate("load", 0, 1, clock.Elapsed));
        var loadClock = Stopwatch.StartNew();
        using var source = ModelCheckpoint.Open(checkpoint.Folder);
        double loadSeconds;
        double prefillSeconds;
        using (var model = source.CreateModel(device, torch.ScalarType.Float32))
        {
            loadSeconds = loadClock.Elapsed.TotalSeconds;
            stageProgress?.Report(new ProgressUpdate("load", 1, 1, clock.Elapsed));
            cancellationToken.ThrowIfCancellationRequested();
            prefillSeconds = Timed(stageProgress, "prefill", clock, () => Prefill(model, options, device));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var layerSeconds = Timed(stageProgress, "layer forward", clock, () => LayerForwardTime.Measure(source, options.Windows, options.SequenceLength, options.Seed, device));
        var flops = PrefillFlops.Of(config, options.Windows, options.SequenceLength);
        var gflops = flops / prefillSeconds / 1e9;
        var layerGflops = PrefillFlops.OfLayer(config, 0, options.Windows, options.SequenceLength) / layerSeconds / 1e9;
        return new SyntheticBenchmarkResult(
            checkpoint.Preset.Name,
            config.NumLayers,
            options.Windows,
            options.SequenceLength,
            device.ToString(),
            checkpoint.Bytes,
            checkpoint.WriteSeconds,
            gemm,
            loadSeconds,
            prefillSeconds,
            tokens / prefillSeconds,
            gflops,
            gflops / gemm,
            PeakMemory.ProcessPeakResidentBytes(),
            SystemLoad.OneMinuteAverage())
        {
            LayerForwardSeconds = layerSeconds,
            LayerForwardGflops = layerGflops,
            LayerRooflineFraction = layerGflops / gemm,
            GemmGflopsFloat64 = gemm64,
        };
    }

    private static void CheckBatch(ModelConfig config, SyntheticBenchmarkOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Windows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SequenceLength, 1);
        if (options.SequenceLength > config.MaxPositionEmbeddings)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SequenceLength, $"the sequence length exceeds the context of {config.MaxPositionEmbeddings}");
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
}
