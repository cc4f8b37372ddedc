using System.Diagnostics;
using A3.Runtime.Calibration;
using A3.Runtime.Compression.Budget;
using A3.Runtime.Compression.Reporting;
using A3.Runtime.Compression.Statistics;
using A3.Runtime.Inspection;
using A3.Runtime.IO;
using A3.Runtime.Model;
using A3.Runtime.Native;
using A3.Runtime.Progress;
using TorchSharp;

namespace A3.Runtime.Compression;

/// <summary>
/// Compresses a model layer by layer. Only one layer's weights and the running hidden states of
/// the calibration set are in device memory at a time; weights stay memory-mapped. In sequential
/// mode (the default) layer ℓ is calibrated on the outputs of the already-compressed layers below it.
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
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        progress ??= NullProgressReporter.Instance;
        TorchNative.EnsureLoaded();
        var config = source.Config;
        if (config.IsCompressed)
        {
            throw new A3InputException(A3ErrorCodes.InvalidOption, "the model is already compressed; compress the original model instead", source.Path);
        }

        var clock = Stopwatch.StartNew();
        var plan = options.Method == CompressionMethod.A3 ? PlanA3(source, calibration, options, progress, cancellationToken) : null;
        var tensors = CopyUnchangedTensors(source);
        var shapes = new LayerShape[config.NumLayers];
        var layerReports = new List<LayerReport>();
        var warnings = new List<string>();
        using var embedding = TokenEmbedding.Load(config, source.Weights, options.Device, options.ComputeType);
        var hidden = EmbedCalibration(embedding, calibration, options);
        try
        {
            for (int index = 0; index < config.NumLayers; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var layerClock = Stopwatch.StartNew();
                LayerCompression compressed;
                double statisticsSeconds;
                torch.Tensor originalOutput;
                using (var original = DecoderLayer.Load(config, index, source.Weights, options.Device, options.ComputeType))
                {
                    var (statistics, output) = LayerStatisticsCollector.Collect(original, hidden, options.BatchSize);
                    originalOutput = output;
                    statisticsSeconds = layerClock.Elapsed.TotalSeconds;
                    using (statistics)
                    using (var weights = LayerWeightsReader.Read(config, index, source.Weights, torch.float64, options.Device))
                    {
                        compressed = options.Method == CompressionMethod.A3
                            ? A3LayerCompressor.Compress(config, index, weights, statistics, plan!.Layers[index], options.MlpSelector)
                            : BaselineLayerCompressor.Compress(config, index, weights, statistics, options.Budget!.Value, options.Method);
                    }
                }

                shapes[index] = compressed.Shape;
                foreach (var (name, tensor) in compressed.Tensors)
                {
                    tensors[name] = tensor;
                }

                warnings.AddRange(compressed.Warnings);
                var next = options.Sequential
                    ? RunCompressedLayer(source, config, index, compressed, hidden, options)
                    : originalOutput;
                if (!ReferenceEquals(next, originalOutput))
                {
                    originalOutput.Dispose();
                }

                hidden.Dispose();
                hidden = next;
                double solveSeconds = layerClock.Elapsed.TotalSeconds - statisticsSeconds;
                layerReports.Add(new LayerReport(index, compressed.Components, statisticsSeconds, solveSeconds));
                progress.Report(new ProgressUpdate($"compress layer {index} ({string.Join(", ", compressed.Components.Select(c => $"{c.Component} {c.Kept}/{c.Original} err {c.RelativeError:F4}"))})", index + 1, config.NumLayers, clock.Elapsed));
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
        finally
        {
            hidden.Dispose();
        }

        var compressedConfig = config with { Layers = shapes };
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

    private static CompressionPlan PlanA3(ModelCheckpoint source, CalibrationSet calibration, CompressionOptions options, IProgressReporter progress, CancellationToken cancellationToken)
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
        var curves = new Dictionary<(int, A3Component), IErrorCurve>();
        var clock = Stopwatch.StartNew();
        using var embedding = TokenEmbedding.Load(config, source.Weights, options.Device, options.ComputeType);
        var hidden = EmbedCalibration(embedding, calibration, options);
        try
        {
            for (int index = 0; index < config.NumLayers; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var layer = DecoderLayer.Load(config, index, source.Weights, options.Device, options.ComputeType);
                var (statistics, output) = LayerStatisticsCollector.Collect(layer, hidden, options.BatchSize);
                using (statistics)
                using (var weights = LayerWeightsReader.Read(config, index, source.Weights, torch.float64, options.Device))
                {
                    foreach (var (component, curve) in ErrorCurveBuilder.Build(config, weights, statistics, options.MlpSelector))
                    {
                        curves[(index, component)] = curve;
                    }
                }

                hidden.Dispose();
                hidden = output;
                progress.Report(new ProgressUpdate($"plan: error curves of layer {index}", index + 1, config.NumLayers, clock.Elapsed));
            }
        }
        finally
        {
            hidden.Dispose();
        }

        return GreedyPlanner.Plan(config, options.Budget!.Value, options.RoundTo, (layer, component) => curves[(layer, component)]);
    }

    private static torch.Tensor EmbedCalibration(TokenEmbedding embedding, CalibrationSet calibration, CompressionOptions options)
    {
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

    private static bool IsLayerLinear(string name) =>
        name.StartsWith("model.layers.", StringComparison.Ordinal) && (name.Contains(".self_attn.", StringComparison.Ordinal) || name.Contains(".mlp.", StringComparison.Ordinal));

    /// <summary>Runs the compressed layer over the calibration hidden states, one micro-batch at a time.</summary>
    private static torch.Tensor RunCompressedLayer(ModelCheckpoint source, ModelConfig config, int index, LayerCompression compressed, torch.Tensor hidden, CompressionOptions options)
    {
        var prefix = $"model.layers.{index}.";
        var layerTensors = compressed.Tensors.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.clone().DetachFromDisposeScope())).ToList();
        foreach (var norm in new[] { prefix + "input_layernorm.weight", prefix + "post_attention_layernorm.weight" })
        {
            layerTensors.Add(KeyValuePair.Create(norm, source.Weights.Load(norm, torch.float32, torch.CPU).DetachFromDisposeScope()));
        }

        using var weights = new InMemoryWeightSource(layerTensors);
        var layers = config.Layers.ToArray();
        layers[index] = compressed.Shape;
        using var layer = DecoderLayer.Load(config with { Layers = layers }, index, weights, options.Device, options.ComputeType);
        var output = torch.empty_like(hidden).DetachFromDisposeScope();
        long count = hidden.shape[0];
        for (long start = 0; start < count; start += options.BatchSize)
        {
            using var scope = torch.NewDisposeScope();
            long length = Math.Min(options.BatchSize, count - start);
            output.narrow(0, start, length).copy_(layer.Forward(hidden.narrow(0, start, length), 0, null));
        }

        return output;
    }
}
