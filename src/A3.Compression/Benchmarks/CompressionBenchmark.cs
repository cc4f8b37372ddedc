using System.Diagnostics;
using A3.Compression.Calibration;
using A3.Recipes;
using A3.Compression.Recipes;
using A3.Runtime.Benchmarks;
using A3.Runtime.Inspection;
using A3.Runtime.Model;
using A3.Runtime.Progress;
using TorchSharp;

namespace A3.Compression.Benchmarks;

/// <summary>
/// Compresses a synthetic checkpoint at real layer shapes with each method at one budget, timing every phase of every
/// layer and the peak memory, then runs the original and the compressed models side by side (prefill and decode), as
/// an application would load them from their folders.
/// </summary>
public static class CompressionBenchmark
{
    /// <summary>Runs the benchmark; the compressed folders are written beside the checkpoint and deleted afterwards, also on failure or cancellation.</summary>
    /// <param name="checkpoint">The checkpoint to compress; left in place.</param>
    /// <param name="options">Budget, methods, calibration batch, device and inference settings.</param>
    /// <param name="progress">Told each compression's layers and phases, and each model's inference, prefixed with the preset.</param>
    /// <param name="cancellationToken">Stops the run within a solver step; nothing is left on disk.</param>
    /// <returns>The compressions and the inference comparison.</returns>
    public static CompressionBenchmarkResult Run(
        SyntheticCheckpoint checkpoint,
        CompressionBenchmarkOptions options,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InferenceRounds, 1);
        var device = options.Device ?? torch.CPU;
        var outputs = new List<(string Name, string Folder)>();
        try
        {
            var compressions = new List<MethodCompressionResult>();
            using (var source = ModelCheckpoint.Open(checkpoint.Folder))
            {
                var calibration = Calibration(source.Config, options);
                foreach (var method in options.Methods)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var recipe = new Recipe { Compression = new CompressionSection { Method = method, Budget = options.Budget, Allocation = method == RecipeMethod.A3 ? RecipeAllocation.Uniform : null } };
                    var name = method == RecipeMethod.A3 ? $"{RecipeNames.Of(method)}-{RecipeNames.Of(RecipeAllocation.Uniform)}" : RecipeNames.Of(method);
                    var folder = $"{checkpoint.Folder}.{name}";
                    outputs.Add((name, folder));
                    compressions.Add(Compress(source, calibration, recipe, name, folder, device, PrefixedProgress.For(progress, $"{checkpoint.Preset.Name} {name}"), cancellationToken));
                }
            }

            var inference = options.Inference is { } inferenceOptions
                ? CompareInference([("original", checkpoint.Folder), .. outputs], inferenceOptions, options.InferenceRounds, device, PrefixedProgress.For(progress, $"{checkpoint.Preset.Name} inference"), cancellationToken)
                : [];
            return new CompressionBenchmarkResult(compressions, inference);
        }
        finally
        {
            foreach (var (_, folder) in outputs)
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }
    }

    /// <summary>Seeded token ids: a compression's cost depends on the shapes and the token count, not on the text.</summary>
    private static CalibrationSet Calibration(ModelConfig config, CompressionBenchmarkOptions options)
    {
        var random = new SplitMix64(unchecked((ulong)options.Seed));
        var windows = Enumerable.Range(0, options.Windows)
            .Select(_ => Enumerable.Range(0, options.SequenceLength).Select(_ => (int)random.NextBelow((ulong)config.VocabSize)).ToArray())
            .ToList();
        var set = new CalibrationSet(windows);
        set.EnsureFits(config);
        return set;
    }

    private static MethodCompressionResult Compress(
        ModelCheckpoint source, CalibrationSet calibration, Recipe recipe, string name, string folder, torch.Device device, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        // The peak of this compression alone, as far as the allocators have handed earlier work's memory back.
        PeakMemory.ResetPeak();
        var settings = new CompressionSettings
        {
            Method = RecipeBinding.Method(recipe),
            Pipeline = RecipeBinding.Pipeline(recipe),
            Device = device,
            SpoolFolder = $"{folder}.layers",
        };
        using var compressed = ModelCompressor.Compress(source, calibration, settings, progress, cancellationToken);
        progress?.Report(new ProgressUpdate("write", 0, 1, TimeSpan.Zero));
        var clock = Stopwatch.StartNew();
        compressed.Write(folder, source.Path, RecipeBinding.OutputType(recipe, source.Config), compressed.Report, cancellationToken);
        var facts = compressed.RunFacts with { WriteSeconds = clock.Elapsed.TotalSeconds };
        var bytes = new DirectoryInfo(folder).EnumerateFiles().Sum(file => file.Length);
        return new MethodCompressionResult(name, compressed.Report.DecoderRemovedFraction, facts, bytes, PeakMemory.ProcessPeakResidentBytes());
    }

    /// <summary>Loads and measures each model in turn, <paramref name="rounds"/> times round, keeping each figure's fastest: drift on a shared machine then hits every model alike.</summary>
    private static List<InferenceResult> CompareInference(
        IReadOnlyList<(string Name, string Folder)> models, InferenceOptions options, int rounds, torch.Device device, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        var best = new (double Load, InferenceMeasurement? Speed, ModelConfig? Config)[models.Count];
        Array.Fill(best, (double.MaxValue, null, null));
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < models.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new ProgressUpdate($"{models[i].Name}, round {round + 1}", (round * models.Count) + i, rounds * models.Count, clock.Elapsed));
                var load = Stopwatch.StartNew();
                using var checkpoint = ModelCheckpoint.Open(models[i].Folder);
                using var model = checkpoint.CreateModel(device, torch.ScalarType.Float32);
                var loadSeconds = load.Elapsed.TotalSeconds;
                var speed = InferenceThroughput.Measure(model, options, cancellationToken);
                best[i] = (Math.Min(best[i].Load, loadSeconds), best[i].Speed is { } earlier ? earlier.Fastest(speed) : speed, checkpoint.Config);
            }
        }

        return models.Select((model, i) =>
        {
            var footprint = ModelFootprint.Compute(best[i].Config!, sizeof(float), 1);
            return new InferenceResult(model.Name, footprint.TotalParameters, footprint.KvCacheBytesPerToken, best[i].Load, best[i].Speed!);
        }).ToList();
    }
}
