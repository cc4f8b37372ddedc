using System.Diagnostics;
using A3.Compression.Calibration;
using A3.Compression.Methods;
using A3.Compression.Output;
using A3.Compression.Pipelines;
using A3.Compression.Statistics;
using A3.Recipes;
using A3.Runtime;
using A3.Runtime.Inspection;
using A3.Runtime.Model;
using A3.Runtime.Native;
using A3.Runtime.Progress;
using A3.Runtime.Reporting;
using TorchSharp;

namespace A3.Compression;

/// <summary>
/// Compresses a model layer by layer with any <see cref="ICompressionMethod"/>. Only one layer's weights and the
/// running hidden states of the calibration set are in device memory at a time; weights stay memory-mapped.
/// The <see cref="CalibrationPipeline"/> decides which activations each layer is calibrated on. With a
/// <see cref="LayerStatisticsCache"/>, statistics already collected for the same inputs are reused and new ones
/// are stored as each layer finishes, so a ratio change or an interrupted run resumes without repeating them.
/// </summary>
public static class ModelCompressor
{
    /// <summary>Compresses <paramref name="source"/> as <paramref name="settings"/> say, calibrated on <paramref name="calibration"/>.</summary>
    /// <param name="source">The original model.</param>
    /// <param name="calibration">The calibration windows.</param>
    /// <param name="settings">The method, the calibration pipeline, the device and the statistics cache.</param>
    /// <param name="progress">Receives one update per planned and per compressed layer.</param>
    /// <param name="cancellationToken">Stops the run between micro-batches of every forward and between the solvers' native steps, so within about a second; statistics of finished layers stay in the cache.</param>
    /// <returns>The compressed model; the caller owns it.</returns>
    /// <exception cref="InvalidSettingException">The model is already compressed, or a setting does not fit it.</exception>
    public static CompressedModel Compress(
        ModelCheckpoint source,
        CalibrationSet calibration,
        CompressionSettings settings,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.BatchSize, 1);
        TorchNative.EnsureLoaded();
        var config = source.Config;
        if (config.IsCompressed)
        {
            throw new InvalidSettingException(RecipeKeys.Model, "is already compressed; compress the original model instead", filePath: source.Path);
        }

        calibration.EnsureFits(config);
        var clock = Stopwatch.StartNew();
        var runner = new LayerRunner(source, settings, cancellationToken);
        var statistics = new LayerStatisticsSource(runner, settings.StatisticsCache, settings.Device);
        var chain = settings.StatisticsCache is { } cache ? StatisticsChain.Start(cache.ModelIdentity, calibration, settings) : null;
        using var context = new CompressionContext(source, calibration, settings, runner, statistics, chain, progress);
        var compressor = settings.Method.Plan(context, cancellationToken);
        double planSeconds = clock.Elapsed.TotalSeconds;

        var pipeline = settings.Pipeline;
        var spool = new CompressedLayerSpool(settings.SpoolFolder ?? CompressedLayerSpool.InTemporaryFolder());
        var shapes = new LayerShape?[config.NumLayers];
        LayerCompression? latest = null;
        int latestIndex = -1;
        var runFacts = new List<LayerRunFacts>();

        // A layer's compressed forward runs while the next layer's statistics are collected; it is charged to its own
        // layer, and the running total lets the statistics' time leave it out.
        var forwardSeconds = new double?[config.NumLayers];
        double forwardTotal = 0;
        var layerReports = new List<LayerReport>();
        var warnings = new List<string>();
        AllocationReport? allocation = null;
        try
        {
            using var inputs = new LayerInputs(() => runner.Embed(calibration), (index, hidden) => Forward(index, hidden));

            // The stage's own clock: planning can take longer than compressing, and would skew the estimate of what is left.
            var stageClock = Stopwatch.StartNew();
            var link = chain;
            for (int index = 0; index < config.NumLayers; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var layerClock = Stopwatch.StartNew();

                // At real sizes each half of a layer takes minutes: say which one is running.
                progress?.Report(new ProgressUpdate($"layer {index}: statistics", index, config.NumLayers, stageClock.Elapsed));
                double forwardsBefore = forwardTotal;
                var (layerStatistics, reused) = statistics.Get(index, link?.KeyOf(index), inputs, keepOutput: pipeline.CalibratesOnOriginalOutputs);
                double statisticsSeconds = layerClock.Elapsed.TotalSeconds - (forwardTotal - forwardsBefore);
                var solveStart = Stopwatch.GetTimestamp();
                double weightsSeconds;
                LayerCompression compressed;
                progress?.Report(new ProgressUpdate($"layer {index}: solve", index, config.NumLayers, stageClock.Elapsed));
                using (layerStatistics)
                using (var weights = LayerWeightsReader.Read(config, index, source.Weights, torch.float64, settings.Device))
                {
                    weightsSeconds = Stopwatch.GetElapsedTime(solveStart).TotalSeconds;
                    compressed = compressor.Compress(index, weights, layerStatistics, cancellationToken);
                }

                double solveSeconds = Stopwatch.GetElapsedTime(solveStart).TotalSeconds;

                // On disk at once, so memory holds one layer however deep the model; the latest stays for the next layer's input.
                latest?.Dispose();
                latest = compressed;
                latestIndex = index;
                var spoolStart = Stopwatch.GetTimestamp();
                spool.Add(index, compressed);
                double spoolSeconds = Stopwatch.GetElapsedTime(spoolStart).TotalSeconds;
                shapes[index] = compressed.Shape;
                warnings.AddRange(compressed.Warnings);
                link = link is null ? null : pipeline.Next(link, index, compressor);
                runFacts.Add(new LayerRunFacts(index, statisticsSeconds, solveSeconds, reused, weightsSeconds, compressed.SolverSeconds, SpoolSeconds: spoolSeconds));
                layerReports.Add(new LayerReport(index, compressed.Components));
                var components = string.Join(", ", compressed.Components.Select(c => $"{c.Component} {c.Kept}/{c.Original} err {c.RelativeError:F4}"));
                progress?.Report(new ProgressUpdate($"compress layer {index} ({components}{(reused ? "; statistics reused" : string.Empty)})", index + 1, config.NumLayers, stageClock.Elapsed));
            }

            latest?.Dispose();
            latest = null;
            if (context is { Allocation: { } outcome, Objective: { } objective })
            {
                // The search predicted its plan from layers compressed on the original model's statistics; the model
                // written was calibrated as the pipeline says, so measure that one on the same windows, a layer at a time.
                DecoderLayer? loaded = null;
                try
                {
                    var measured = objective.Measure(0, null, index =>
                    {
                        loaded?.Dispose();
                        using var layer = spool.Read(index, shapes[index]!);
                        loaded = runner.LoadCompressed(index, layer);
                        return loaded;
                    });
                    allocation = new AllocationReport(outcome.Allocator, "kl", objective.Tokens, outcome.Predicted, measured);
                }
                finally
                {
                    loaded?.Dispose();
                }
            }
        }
        catch
        {
            latest?.Dispose();
            spool.Dispose();
            throw;
        }

        var compressedConfig = config with { Layers = shapes.Select(shape => shape!).ToArray() };
        int bytes = ModelFootprint.BytesPerElementOf(config.TorchDtype);
        int contextLength = config.MaxPositionEmbeddings;
        var report = new CompressionReport(
            settings.Method.Name,
            settings.Method.Target,
            pipeline == CalibrationPipeline.Sequential,
            calibration.Tokens,
            ModelSummary.Of(ModelFootprint.Compute(config, bytes, contextLength)),
            ModelSummary.Of(ModelFootprint.Compute(compressedConfig, bytes, contextLength)),
            layerReports,
            warnings,
            Evaluation: null,
            Allocation: allocation);
        var layerFacts = runFacts.Select(facts => facts with { ForwardSeconds = forwardSeconds[facts.Index] }).ToList();
        var facts = new CompressionRunFacts(clock.Elapsed.TotalSeconds, null, layerFacts, context.Allocation?.RunFacts, planSeconds);
        return new CompressedModel(compressedConfig, new CompressedWeights(source.Weights, spool), report, facts);

        // The sequential pipeline runs a layer's compressed form: the one just made, else its spooled copy.
        torch.Tensor Forward(int index, torch.Tensor hidden)
        {
            if (pipeline.CalibratesOnOriginalOutputs)
            {
                return pipeline.Forward(runner, index, null, hidden);
            }

            var start = Stopwatch.GetTimestamp();
            try
            {
                if (latest is not null && index == latestIndex)
                {
                    return pipeline.Forward(runner, index, latest, hidden);
                }

                using var layer = shapes[index] is { } shape ? spool.Read(index, shape) : null;
                return pipeline.Forward(runner, index, layer, hidden);
            }
            finally
            {
                var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                forwardSeconds[index] = (forwardSeconds[index] ?? 0) + seconds;
                forwardTotal += seconds;
            }
        }
    }
}
