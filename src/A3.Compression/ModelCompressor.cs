using A3.Runtime;
using System.Diagnostics;
using System.Globalization;
using A3.Compression.Calibration;
using A3.Compression.Budget;
using A3.Runtime.Reporting;
using A3.Compression.Statistics;
using A3.Runtime.Inspection;
using A3.Runtime.IO;
using A3.Runtime.Model;
using A3.Runtime.Native;
using A3.Runtime.Progress;
using TorchSharp;

namespace A3.Compression;

/// <summary>
/// Compresses a model layer by layer. Only one layer's weights and the running hidden states of
/// the calibration set are in device memory at a time; weights stay memory-mapped. In sequential
/// mode (the default) layer ℓ is calibrated on the outputs of the already-compressed layers below it.
/// With a <see cref="LayerStatisticsCache"/>, statistics already collected for the same inputs are
/// reused and new ones are stored as each layer finishes, so a ratio change or an interrupted run
/// resumes without repeating those passes.
/// </summary>
public static class ModelCompressor
{
    /// <summary>Compresses <paramref name="source"/> with <paramref name="options"/>, calibrated on <paramref name="calibration"/>.</summary>
    /// <exception cref="A3InputException">The options do not fit the model, or the model is already compressed.</exception>
    public static CompressedModel Compress(
        ModelCheckpoint source,
        CalibrationSet calibration,
        CompressionOptions options,
        IProgressReporter? progress = null,
        CancellationToken cancellationToken = default) =>
        Compress(source, calibration, options, statisticsCache: null, progress, cancellationToken);

    /// <summary>
    /// Compresses <paramref name="source"/> with <paramref name="options"/>, calibrated on
    /// <paramref name="calibration"/>, reusing and filling <paramref name="statisticsCache"/>.
    /// </summary>
    /// <param name="source">The original model.</param>
    /// <param name="calibration">The calibration windows.</param>
    /// <param name="options">What to compress and how.</param>
    /// <param name="statisticsCache">Where layer statistics are reused from and stored; <see langword="null"/> computes every layer.</param>
    /// <param name="progress">Receives one update per planned and per compressed layer.</param>
    /// <param name="cancellationToken">Stops the run; statistics of the layers already finished stay in the cache.</param>
    /// <exception cref="A3InputException">The options do not fit the model, or the model is already compressed.</exception>
    public static CompressedModel Compress(
        ModelCheckpoint source,
        CalibrationSet calibration,
        CompressionOptions options,
        LayerStatisticsCache? statisticsCache,
        IProgressReporter? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        progress ??= NullProgressReporter.Instance;
        TorchNative.EnsureLoaded();
        var config = source.Config;
        if (config.IsCompressed)
        {
            throw new A3InputException(A3ErrorCodes.InvalidOption, "the model is already compressed; compress the original model instead", source.Path);
        }

        var clock = Stopwatch.StartNew();
        var chain = statisticsCache is null ? null : StatisticsChain.Start(statisticsCache.ModelIdentity, calibration, options);
        var plan = options.Method == CompressionMethod.A3 ? PlanA3(source, calibration, options, statisticsCache, chain, progress, cancellationToken) : null;
        var tensors = CopyUnchangedTensors(source);
        var compressedLayers = new LayerCompression[config.NumLayers];
        var layerReports = new List<LayerReport>();
        var warnings = new List<string>();
        using var inputs = new LayerInputs(
            () => EmbedCalibration(source, calibration, options),
            options.Sequential
                ? (index, hidden) => RunCompressedLayer(source, config, index, compressedLayers[index], hidden, options)
                : (index, hidden) => RunOriginalLayer(source, config, index, hidden, options));
        try
        {
            var link = chain;
            for (int index = 0; index < config.NumLayers; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var layerClock = Stopwatch.StartNew();
                LayerCompression compressed;
                var (statistics, reused) = LoadOrCollect(source, index, link?.KeyOf(index), statisticsCache, inputs, keepOutput: !options.Sequential, options, cancellationToken);
                double statisticsSeconds = layerClock.Elapsed.TotalSeconds;
                using (statistics)
                using (var weights = LayerWeightsReader.Read(config, index, source.Weights, torch.float64, options.Device))
                {
                    compressed = options.Method == CompressionMethod.A3
                        ? A3LayerCompressor.Compress(config, index, weights, statistics, plan!.Layers[index], options.MlpSelector)
                        : BaselineLayerCompressor.Compress(config, index, weights, statistics, options.Budget!.Value, options.Method);
                }

                compressedLayers[index] = compressed;
                foreach (var (name, tensor) in compressed.Tensors)
                {
                    tensors[name] = tensor;
                }

                warnings.AddRange(compressed.Warnings);
                link = options.Sequential ? link?.AfterCompressed(index, Describe(options, plan, index)) : link?.AfterOriginal(index);
                double solveSeconds = layerClock.Elapsed.TotalSeconds - statisticsSeconds;
                layerReports.Add(new LayerReport(index, compressed.Components, statisticsSeconds, solveSeconds, reused));
                var components = string.Join(", ", compressed.Components.Select(c => $"{c.Component} {c.Kept}/{c.Original} err {c.RelativeError:F4}"));
                progress.Report(new ProgressUpdate($"compress layer {index} ({components}{(reused ? "; statistics reused" : string.Empty)})", index + 1, config.NumLayers, clock.Elapsed));
            }
        }
        catch
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }

            throw;
        }

        var compressedConfig = config with { Layers = compressedLayers.Select(layer => layer.Shape).ToArray() };
        int bytes = ModelFootprint.BytesPerElementOf(config.TorchDtype);
        int context = config.MaxPositionEmbeddings;
        var report = new CompressionReport(
            options.Method switch { CompressionMethod.A3 => "a3", CompressionMethod.Svd => "svd", _ => "svd-llm" },
            options.DescribeTarget(),
            options.Sequential,
            calibration.Tokens,
            ModelSummary.Of(ModelFootprint.Compute(config, bytes, context)),
            ModelSummary.Of(ModelFootprint.Compute(compressedConfig, bytes, context)),
            layerReports,
            warnings,
            clock.Elapsed.TotalSeconds);
        return new CompressedModel(compressedConfig, tensors, report);
    }

    private static CompressionPlan PlanA3(
        ModelCheckpoint source,
        CalibrationSet calibration,
        CompressionOptions options,
        LayerStatisticsCache? statisticsCache,
        StatisticsChain? chain,
        IProgressReporter progress,
        CancellationToken cancellationToken)
    {
        var config = source.Config;
        if (options.Ratios is ComponentRatios ratios)
        {
            return UniformPlanner.FromRatios(config, ratios, options.Overrides, options.RoundTo);
        }

        if (options.Allocation == BudgetAllocation.Uniform)
        {
            return UniformPlanner.ForBudget(config, options.Budget!.Value, options.RoundTo);
        }

        // Greedy allocation needs every layer's error curves before any layer is compressed, so they
        // come from one pass over the original model (sequential statistics depend on the plan itself).
        // These are the non-sequential statistics, so a cache serves them to later runs of any budget,
        // and layer 0's to the sequential pass that follows.
        var curves = new Dictionary<(int, A3Component), IErrorCurve>();
        var clock = Stopwatch.StartNew();
        using var inputs = new LayerInputs(
            () => EmbedCalibration(source, calibration, options),
            (index, hidden) => RunOriginalLayer(source, config, index, hidden, options));
        var link = chain;
        for (int index = 0; index < config.NumLayers; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (statistics, _) = LoadOrCollect(source, index, link?.KeyOf(index), statisticsCache, inputs, keepOutput: true, options, cancellationToken);
            using (statistics)
            using (var weights = LayerWeightsReader.Read(config, index, source.Weights, torch.float64, options.Device))
            {
                foreach (var (component, curve) in ErrorCurveBuilder.Build(config, weights, statistics, options.MlpSelector))
                {
                    curves[(index, component)] = curve;
                }
            }

            link = link?.AfterOriginal(index);
            progress.Report(new ProgressUpdate($"plan: error curves of layer {index}", index + 1, config.NumLayers, clock.Elapsed));
        }

        return GreedyPlanner.Plan(config, options.Budget!.Value, options.RoundTo, (layer, component) => curves[(layer, component)]);
    }

    /// <summary>
    /// Returns layer <paramref name="index"/>'s statistics from the cache, or collects them over its
    /// input (then stored under <paramref name="key"/>). With <paramref name="keepOutput"/> the
    /// original layer's output becomes the next layer's input.
    /// </summary>
    private static (LayerStatistics Statistics, bool Reused) LoadOrCollect(
        ModelCheckpoint source,
        int index,
        string? key,
        LayerStatisticsCache? statisticsCache,
        LayerInputs inputs,
        bool keepOutput,
        CompressionOptions options,
        CancellationToken cancellationToken)
    {
        if (key is not null && statisticsCache!.TryLoad(key, options.Device) is { } cached)
        {
            return (cached, true);
        }

        var hidden = inputs.At(index);
        using var layer = DecoderLayer.Load(source.Config, index, source.Weights, options.Device, options.ComputeType);
        var (statistics, output) = LayerStatisticsCollector.Collect(layer, hidden, options.BatchSize, cancellationToken);
        if (keepOutput)
        {
            inputs.Advance(index, output);
        }
        else
        {
            output.Dispose();
        }

        if (key is not null)
        {
            statisticsCache!.Store(key, statistics);
        }

        return (statistics, false);
    }

    /// <summary>Describes what a compressed layer depends on besides its statistics and the model's weights, for the statistics chain.</summary>
    private static string Describe(CompressionOptions options, CompressionPlan? plan, int index) => options.Method == CompressionMethod.A3
        ? string.Create(CultureInfo.InvariantCulture, $"a3 pairs {plan!.Layers[index].KeptPairs} v {plan.Layers[index].VHeadDim} mlp {plan.Layers[index].IntermediateSize} selector {options.MlpSelector}")
        : string.Create(CultureInfo.InvariantCulture, $"{options.Method} budget {options.Budget!.Value:R}");

    private static torch.Tensor EmbedCalibration(ModelCheckpoint source, CalibrationSet calibration, CompressionOptions options)
    {
        using var embedding = TokenEmbedding.Load(source.Config, source.Weights, options.Device, options.ComputeType);
        using var scope = torch.NewDisposeScope();
        return embedding.Forward(calibration.ToTensor(options.Device)).MoveToOuterDisposeScope();
    }

    private static Dictionary<string, torch.Tensor> CopyUnchangedTensors(ModelCheckpoint source)
    {
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        foreach (var name in source.Weights.Names.Where(name => !IsLayerLinear(name)))
        {
            tensors[name] = source.Weights.Load(name, torch.float32, torch.CPU).DetachFromDisposeScope();
        }

        return tensors;
    }

    private static bool IsLayerLinear(string name) => TensorNames.IsInAttentionOrMlp(name);

    /// <summary>Runs the original layer <paramref name="index"/> over the calibration hidden states.</summary>
    private static torch.Tensor RunOriginalLayer(ModelCheckpoint source, ModelConfig config, int index, torch.Tensor hidden, CompressionOptions options)
    {
        using var layer = DecoderLayer.Load(config, index, source.Weights, options.Device, options.ComputeType);
        return RunLayer(layer, hidden, options.BatchSize);
    }

    /// <summary>Runs the compressed layer over the calibration hidden states.</summary>
    private static torch.Tensor RunCompressedLayer(ModelCheckpoint source, ModelConfig config, int index, LayerCompression compressed, torch.Tensor hidden, CompressionOptions options)
    {
        var names = TensorNames.Layer(index);
        var layerTensors = compressed.Tensors.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.clone().DetachFromDisposeScope())).ToList();
        foreach (var norm in new[] { names.InputNorm, names.PostAttentionNorm })
        {
            layerTensors.Add(KeyValuePair.Create(norm, source.Weights.Load(norm, torch.float32, torch.CPU).DetachFromDisposeScope()));
        }

        using var weights = new InMemoryWeightSource(layerTensors);
        var layers = config.Layers.ToArray();
        layers[index] = compressed.Shape;
        using var layer = DecoderLayer.Load(config with { Layers = layers }, index, weights, options.Device, options.ComputeType);
        return RunLayer(layer, hidden, options.BatchSize);
    }

    /// <summary>Runs <paramref name="layer"/> over <paramref name="hidden"/> one micro-batch at a time, in the same batches as the statistics pass.</summary>
    private static torch.Tensor RunLayer(DecoderLayer layer, torch.Tensor hidden, int batchSize)
    {
        var output = torch.empty_like(hidden).DetachFromDisposeScope();
        long count = hidden.shape[0];
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            long length = Math.Min(batchSize, count - start);
            output.narrow(0, start, length).copy_(layer.Forward(hidden.narrow(0, start, length), 0, null));
        }

        return output;
    }
}
