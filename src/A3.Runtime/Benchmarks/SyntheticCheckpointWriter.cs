using System.Diagnostics;
using A3.Runtime.IO;
using A3.Runtime.Model;
using A3.Runtime.Progress;
using TorchSharp;

namespace A3.Runtime.Benchmarks;

/// <summary>
/// Writes a synthetic Hugging Face checkpoint (<c>config.json</c>, safetensors, tokenizer files) for a configuration,
/// generating one seeded tensor at a time while it is written, so a checkpoint larger than memory can be made.
/// </summary>
/// <remarks>
/// The folder is written by <see cref="ModelFolderWriter"/> (same layout, atomic rename, deterministic bytes), so the
/// same configuration, tokenizer, seed, dtype and shard size always give a byte-identical folder.
/// </remarks>
public static class SyntheticCheckpointWriter
{
    /// <summary>Writes the checkpoint to <paramref name="folder"/>, replacing an existing folder atomically.</summary>
    /// <param name="folder">The model folder to create or replace.</param>
    /// <param name="config">The configuration, for example <see cref="SyntheticModelPreset.ToConfig"/>.</param>
    /// <param name="tokenizerSourcePath">The tokenizer folder or file to copy, as <see cref="ModelFolderWriter.Write"/> takes it.</param>
    /// <param name="seed">The seed every tensor's values derive from.</param>
    /// <param name="dtype">The storage dtype: <c>BFloat16</c> (as the real checkpoints are published), <c>Float16</c> or <c>Float32</c>.</param>
    /// <param name="maxShardBytes">The most tensor data bytes per safetensors shard; above it the folder gets shards and an index.</param>
    /// <param name="progress">Told, per tensor generated, how many of the model's tensors have been started, and once more when the folder is complete.</param>
    /// <param name="cancellationToken">Checked before each tensor; a cancelled write leaves nothing behind.</param>
    /// <exception cref="A3InputException">The configuration is inconsistent or the tokenizer source holds no tokenizer.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static void Write(
        string folder,
        ModelConfig config,
        string tokenizerSourcePath,
        long seed = 0,
        torch.ScalarType dtype = torch.ScalarType.BFloat16,
        long maxShardBytes = ModelFolderWriter.DefaultMaxShardBytes,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var stage = $"write {config.NumLayers}-layer checkpoint";
        var total = ModelTensorShapes.Expected(config).Count;
        var started = 0;
        var clock = Stopwatch.StartNew();
        ModelFolderWriter.WriteGenerated(
            folder,
            config,
            (name, shape) =>
            {
                progress?.Report(new ProgressUpdate(stage, started++, total, clock.Elapsed));
                return SyntheticWeights.Generate(name, shape, seed);
            },
            tokenizerSourcePath,
            dtype,
            maxShardBytes,
            progress: null,
            additionalFiles: null,
            cancellationToken);
        progress?.Report(new ProgressUpdate(stage, total, total, clock.Elapsed));
    }
}
