using A3.Compression.Output;
using A3.Runtime.IO;
using A3.Runtime.Model;
using A3.Runtime.Reporting;
using TorchSharp;

namespace A3.Compression;

/// <summary>
/// A compressed model: configuration, weights, the report and the run's facts. The compressed layers wait on
/// disk (<see cref="CompressionSettings.SpoolFolder"/>) and every other tensor is read from the source checkpoint
/// when needed, so holding one costs no memory for its weights; the source checkpoint must stay open while it is
/// used. Disposing it deletes the layers' folder.
/// </summary>
public sealed class CompressedModel : IDisposable
{
    private readonly CompressedWeights weights;

    internal CompressedModel(ModelConfig config, CompressedWeights weights, CompressionReport report, CompressionRunFacts runFacts)
    {
        Config = config;
        this.weights = weights;
        Report = report;
        RunFacts = runFacts;
    }

    /// <summary>Gets the compressed configuration.</summary>
    public ModelConfig Config { get; }

    /// <summary>Gets what was made and what it costs (without an evaluation: that is the caller's to add).</summary>
    public CompressionReport Report { get; }

    /// <summary>Gets how the run went: seconds per layer and statistics reuse.</summary>
    public CompressionRunFacts RunFacts { get; }

    /// <summary>Gets the weights by Hugging Face name, read on demand (the compressed layers' in float32); owned by this model.</summary>
    public IWeightSource Weights => weights;

    /// <summary>
    /// Writes the model folder atomically (see docs/FORMAT.md), copying the tokenizer from <paramref name="tokenizerSourcePath"/>,
    /// with <paramref name="report"/> as its <c>a3-report.json</c> inside the same atomic rename. The weights stream
    /// one tensor at a time into one <c>model.safetensors</c>, or into shards of at most
    /// <see cref="ModelFolderWriter.DefaultMaxShardBytes"/> with the standard index when they are larger.
    /// </summary>
    /// <param name="folder">The model folder to create or replace.</param>
    /// <param name="tokenizerSourcePath">The original model (folder or llama2.c file) whose tokenizer is copied.</param>
    /// <param name="outputType">The stored dtype of the weights.</param>
    /// <param name="report">The report to write beside the model; usually <see cref="Report"/>, with an evaluation when there was one.</param>
    /// <param name="cancellationToken">Checked between files; a cancelled write leaves nothing behind.</param>
    public void Write(string folder, string tokenizerSourcePath, torch.ScalarType outputType, CompressionReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [CompressionReportFile.FileName] = CompressionReportFile.Serialize(report) };

        // One tensor in memory at a time: the float32 values the solvers made (or the source's), converted as written.
        ModelFolderWriter.WriteGenerated(
            folder, Config, (name, _) => weights.Load(name, torch.float32, torch.CPU), tokenizerSourcePath, outputType, ModelFolderWriter.DefaultMaxShardBytes, progress: null, files, cancellationToken);
    }

    /// <summary>Builds a runnable decoder from the weights (copies them).</summary>
    /// <param name="device">The device to run on.</param>
    /// <param name="dtype">The compute dtype.</param>
    /// <returns>The decoder; the caller owns it.</returns>
    public DecoderModel CreateModel(torch.Device device, torch.ScalarType dtype) => DecoderModel.Load(Config, weights, device, dtype);

    /// <inheritdoc />
    public void Dispose() => weights.Dispose();
}
