using A3.Onnx.Graph;
using A3.Recipes;
using A3.Runtime;
using A3.Runtime.IO;
using A3.Runtime.Model;
using A3.Runtime.Native;
using A3.Runtime.Progress;
using Onnx;
using TorchSharp;

namespace A3.Onnx;

/// <summary>
/// Exports a model the A3 runtime reads (a Hugging Face folder, compressed or not, or a llama2.c checkpoint) as one
/// ONNX graph that computes what <see cref="DecoderModel"/> computes, with a key/value cache for prefill and decode.
/// </summary>
/// <remarks>
/// The output folder holds <c>model.onnx</c> (plus <c>model.onnx_data</c> when the weights are written outside the
/// graph), <c>config.json</c> and the model's tokenizer files. It is built beside the destination and renamed into
/// place when complete, so a failed or cancelled export leaves nothing and an earlier export stays as it was. Weights are
/// read one tensor at a time, so an export needs memory for the graph (or, with external data, for one tensor), never
/// for a second copy of the model. The same model always gives byte-identical files. See <c>docs/ONNX.md</c>.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The ONNX opset of the default domain every exported graph uses; ONNX Runtime's CPU provider implements all its operators used here.</summary>
    public const int Opset = 17;

    /// <summary>The graph's file name in the output folder.</summary>
    public const string ModelFileName = ModelFiles.OnnxModelFileName;

    /// <summary>The external weights' file name in the output folder, present only when the weights exceed <see cref="OnnxExportOptions.ExternalDataThresholdBytes"/>.</summary>
    public const string ExternalDataFileName = ModelFiles.OnnxExternalDataFileName;

    /// <summary>The ONNX IR version that goes with <see cref="Opset"/>.</summary>
    private const long IrVersion = 8;

    private const string ConfigFileName = ModelFiles.ConfigFileName;

    /// <summary>Exports the model at <paramref name="modelPath"/> to <paramref name="outputFolder"/>, replacing an earlier export atomically.</summary>
    /// <param name="modelPath">A Hugging Face model folder (A3-compressed or not) or a llama2.c <c>.bin</c> checkpoint.</param>
    /// <param name="outputFolder">The folder to create, or to replace when it is empty or an earlier export (never the model or a folder holding or inside it).</param>
    /// <param name="options">How to write; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Told after the embedding, after each layer and when the graph is complete (stage <c>export onnx</c>).</param>
    /// <param name="cancellationToken">Checked between layers; a cancelled export leaves nothing behind.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="A3InputException">The model is missing, malformed or unsupported (the message names the file or tensor).</exception>
    /// <exception cref="InvalidSettingException">The output folder may not receive the export (setting <see cref="ModelFolderDestination.Setting"/>); nothing was touched.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static OnnxExportResult Export(
        string modelPath,
        string outputFolder,
        OnnxExportOptions? options = null,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        options ??= new OnnxExportOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.ExternalDataThresholdBytes, nameof(options));

        var target = OnnxOutputFolder.Check(outputFolder, modelPath);
        using var checkpoint = ModelCheckpoint.Open(modelPath);

        // Headers only: a misshapen checkpoint fails before the output folder is touched.
        checkpoint.VerifyTensors();
        var config = checkpoint.Config;
        ModelConfigChecks.Validate(config);
        var inverseFrequencies = RopeFrequencies.ComputeInverseFrequencies(config);
        var weightBytes = ModelTensorShapes.Expected(config).Values.Sum(shape => shape.Aggregate((long)sizeof(float), (product, dim) => product * dim));
        var external = weightBytes > options.ExternalDataThresholdBytes;
        TorchNative.EnsureLoaded();

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = FolderReplacement.TemporarySibling(target);
        Directory.CreateDirectory(temporary);
        try
        {
            WriteGraph(temporary, checkpoint, inverseFrequencies, external, progress, cancellationToken);
            WriteCompanionFiles(temporary, checkpoint);
            cancellationToken.ThrowIfCancellationRequested();
            FolderReplacement.Commit(temporary, target);
        }
        catch
        {
            FolderReplacement.DeleteQuietly(temporary);
            throw;
        }

        return new OnnxExportResult(
            target,
            Path.Combine(target, ModelFileName),
            external ? Path.Combine(target, ExternalDataFileName) : null,
            Opset,
            config.NumLayers,
            weightBytes);
    }

    /// <summary>Builds the graph, streaming the weights into it or into the external data file, and writes <c>model.onnx</c>.</summary>
    private static void WriteGraph(
        string folder, ModelCheckpoint checkpoint, double[] inverseFrequencies, bool external, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        var graph = new GraphProto { Name = "a3_decoder" };
        using (var initializers = external
            ? WeightInitializers.External(graph, Path.Combine(folder, ExternalDataFileName), ExternalDataFileName)
            : WeightInitializers.Inline(graph))
        {
            var loader = new CheckedWeightLoader(checkpoint.Weights, checkpoint.Config, torch.ScalarType.Float32, torch.CPU);
            DecoderGraph.Build(graph, checkpoint.Config, inverseFrequencies, new StreamedWeights(loader, initializers), progress, cancellationToken);
            initializers.Complete();
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "A3 SDK",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? string.Empty,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        using var stream = new FileStream(Path.Combine(folder, ModelFileName), FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
        using (var coded = new Google.Protobuf.CodedOutputStream(stream, leaveOpen: true))
        {
            model.WriteTo(coded);
        }

        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Writes <c>config.json</c> as every A3 model folder has it (the source's fields, float32 as the graph's weights are, and the
    /// <c>a3</c> object with the per-layer shapes, which also marks the folder as A3's to replace) and the tokenizer files.
    /// </summary>
    private static void WriteCompanionFiles(string folder, ModelCheckpoint checkpoint)
    {
        var config = checkpoint.Config with { TorchDtype = TorchDtypeNames.Of(torch.ScalarType.Float32) };
        File.WriteAllBytes(Path.Combine(folder, ConfigFileName), new System.Text.UTF8Encoding(false).GetBytes(HuggingFaceConfigWriter.ToJson(config)));

        foreach (var file in ModelFiles.CarriedTokenizerFiles(checkpoint.Path))
        {
            File.Copy(file.Path, Path.Combine(folder, file.Name));
        }
    }
}
