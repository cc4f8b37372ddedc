using A3.Recipes;
using A3.Runtime.Model;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Runtime.IO;

/// <summary>
/// Writes a complete model folder in the layout of <c>docs/FORMAT.md</c>: <c>config.json</c> with
/// the <c>a3</c> object, the weights as safetensors (one file or shards with an index) and the
/// tokenizer files of the source model.
/// </summary>
/// <remarks>
/// The folder is built beside the destination under <c>.&lt;name&gt;.tmp-&lt;pid&gt;-&lt;guid&gt;</c> and renamed into place
/// only once it is complete, so a reader never sees a half-written model. An existing folder is
/// replaced only after the new one is complete (old renamed aside, new renamed in, old deleted). On
/// any failure or cancellation the temporary folder is deleted and an existing folder is left as it was;
/// what a killed write leaves beside the destination is recovered by the next write to it.
/// The same inputs always give byte-identical files.
/// </remarks>
public static class ModelFolderWriter
{
    /// <summary>
    /// The most tensor bytes per safetensors shard when a model is written in shards: Hugging Face's
    /// <c>save_pretrained</c> default (<c>max_shard_size="5GB"</c>), so a model that fits is one <c>model.safetensors</c>.
    /// </summary>
    public const long DefaultMaxShardBytes = 5_000_000_000;

    /// <summary>The configuration's file name in a model folder.</summary>
    internal const string ConfigFileName = ModelFiles.ConfigFileName;

    /// <summary>The safetensors <c>__metadata__</c> written into every weight file; Hugging Face loaders require <c>format</c>.</summary>
    private static readonly IReadOnlyDictionary<string, string> SafetensorsMetadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt" };

    /// <summary>Writes the model to <paramref name="folder"/>, replacing an existing folder atomically.</summary>
    /// <param name="folder">The model folder to create or replace; its parent is created when missing.</param>
    /// <param name="config">The configuration, with per-layer shapes matching <paramref name="tensors"/>; its <c>torch_dtype</c> is set from <paramref name="outputDtype"/>.</param>
    /// <param name="tensors">Every tensor of the model by Hugging Face name, floating point on any device; not disposed.</param>
    /// <param name="tokenizerSourcePath">
    /// Where the tokenizer comes from: a Hugging Face model folder (its tokenizer and generation files are
    /// copied), a llama2.c <c>.bin</c> checkpoint (the <c>tokenizer.model</c> or <c>tok*.model</c> beside it is
    /// copied as <c>tokenizer.model</c>, else the <c>tok*.bin</c> beside it under its own name), or a
    /// tokenizer file itself (<c>tokenizer.json</c>, a <c>.model</c> file, a <c>tok*.bin</c> file); the files
    /// and their names are <see cref="ModelFiles.CarriedTokenizerFiles"/>.
    /// </param>
    /// <param name="outputDtype">The storage dtype: <c>Float32</c>, <c>Float16</c> or <c>BFloat16</c>.</param>
    /// <param name="maxShardBytes">When set, the most tensor data bytes per safetensors shard; null writes one <c>model.safetensors</c>.</param>
    /// <param name="progress">Told the name of each file once it is written into the temporary folder, and <c>""</c> just before the rename; called synchronously.</param>
    /// <param name="additionalFiles">Files written beside the model (for example the compression report) by name, inside the same atomic rename; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked between files; a cancelled write leaves nothing behind.</param>
    /// <exception cref="A3InputException">
    /// The configuration is inconsistent, a tensor is missing, unexpected, not floating point or has the wrong shape,
    /// the output dtype or shard size is invalid, the destination is a file, or no tokenizer is found.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static void Write(
        string folder,
        ModelConfig config,
        IReadOnlyDictionary<string, torch.Tensor> tensors,
        string tokenizerSourcePath,
        torch.ScalarType outputDtype = torch.ScalarType.Float32,
        long? maxShardBytes = null,
        IProgress<string>? progress = null,
        IReadOnlyDictionary<string, byte[]>? additionalFiles = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tensors);
        WriteFolder(
            folder,
            config,
            outputConfig =>
            {
                CheckTensors(outputConfig, tensors);
                return Converted(tensors, StorageDType(outputDtype), cancellationToken);
            },
            tokenizerSourcePath,
            outputDtype,
            maxShardBytes,
            progress,
            additionalFiles,
            cancellationToken);
    }

    /// <summary>
    /// Writes a model whose tensors are generated one at a time while the weights are written, so that no more
    /// than one tensor is in memory at once: the way to write a checkpoint larger than memory.
    /// </summary>
    /// <param name="folder">The model folder to create or replace; its parent is created when missing.</param>
    /// <param name="config">The configuration; its tensors and shapes (<c>docs/FORMAT.md</c> section 2) are the ones generated.</param>
    /// <param name="generate">
    /// Called once per tensor, in name order, with its name and shape; returns a floating-point tensor of that shape,
    /// which is converted to <paramref name="outputDtype"/> and disposed once written.
    /// </param>
    /// <param name="tokenizerSourcePath">Where the tokenizer comes from, as for <see cref="Write"/>.</param>
    /// <param name="outputDtype">The storage dtype: <c>Float32</c>, <c>Float16</c> or <c>BFloat16</c>.</param>
    /// <param name="maxShardBytes">When set, the most tensor data bytes per safetensors shard; null writes one <c>model.safetensors</c>.</param>
    /// <param name="progress">Told the name of each file once it is written, as for <see cref="Write"/>.</param>
    /// <param name="additionalFiles">Files written beside the model inside the same atomic rename, as for <see cref="Write"/>; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked before each tensor and between files; a cancelled write leaves nothing behind.</param>
    internal static void WriteGenerated(
        string folder,
        ModelConfig config,
        Func<string, long[], torch.Tensor> generate,
        string tokenizerSourcePath,
        torch.ScalarType outputDtype,
        long? maxShardBytes,
        IProgress<string>? progress,
        IReadOnlyDictionary<string, byte[]>? additionalFiles,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(generate);
        WriteFolder(
            folder,
            config,
            outputConfig => ModelTensorShapes.Expected(outputConfig)
                .Select(pair => Streamed(pair.Key, pair.Value, StorageDType(outputDtype), () => generate(pair.Key, pair.Value), cancellationToken))
                .ToList(),
            tokenizerSourcePath,
            outputDtype,
            maxShardBytes,
            progress,
            additionalFiles,
            cancellationToken);
    }

    /// <summary>
    /// The one folder-writing path behind both entry points: checks, <c>config.json</c>, weights, tokenizer and extra
    /// files, atomic rename; <paramref name="tensorsFor"/> checks the tensors against the output configuration and
    /// lists them for writing, the other parameters are those of <see cref="Write"/>.
    /// </summary>
    private static void WriteFolder(
        string folder,
        ModelConfig config,
        Func<ModelConfig, IReadOnlyList<StreamedTensor>> tensorsFor,
        string tokenizerSourcePath,
        torch.ScalarType outputDtype,
        long? maxShardBytes,
        IProgress<string>? progress,
        IReadOnlyDictionary<string, byte[]>? additionalFiles,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(tokenizerSourcePath);
        cancellationToken.ThrowIfCancellationRequested();
        TorchNative.EnsureLoaded();

        var dtypeName = TorchDtypeNames.Of(outputDtype);
        if (maxShardBytes is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxShardBytes), maxShardBytes, "the shard size must be positive");
        }

        var target = ModelFolderDestination.CheckReplaceable(folder);

        var outputConfig = config with { TorchDtype = dtypeName };
        ModelConfigChecks.Validate(outputConfig);
        var tensors = tensorsFor(outputConfig);
        var configText = ConfigText(outputConfig);
        var tokenizerFiles = ResolveTokenizerFiles(Path.GetFullPath(tokenizerSourcePath));
        var extraFiles = CheckAdditionalFiles(additionalFiles, tokenizerFiles);

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        FolderReplacement.RecoverLeftovers(target);
        var temporary = FolderReplacement.TemporarySibling(target);
        Directory.CreateDirectory(temporary);
        try
        {
            File.WriteAllText(Path.Combine(temporary, ConfigFileName), configText, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            progress?.Report(ConfigFileName);
            cancellationToken.ThrowIfCancellationRequested();

            WriteWeights(temporary, tensors, maxShardBytes, progress);

            foreach (var (source, destination) in tokenizerFiles)
            {
                cancellationToken.ThrowIfCancellationRequested();
                File.Copy(source, Path.Combine(temporary, destination));
                progress?.Report(destination);
            }

            foreach (var (fileName, content) in extraFiles)
            {
                cancellationToken.ThrowIfCancellationRequested();
                File.WriteAllBytes(Path.Combine(temporary, fileName), content);
                progress?.Report(fileName);
            }

            progress?.Report(string.Empty);
            cancellationToken.ThrowIfCancellationRequested();
            FolderReplacement.Commit(temporary, target);
        }
        catch
        {
            FolderReplacement.DeleteQuietly(temporary);
            throw;
        }
    }

    /// <summary>The safetensors element type of a storage dtype <see cref="TorchDtypeNames.Of"/> accepted.</summary>
    private static TensorDType StorageDType(torch.ScalarType dtype) => SafetensorsDTypes.FromScalarType(dtype)!.Value;

    /// <summary>Returns the additional files in name order, after checking each names a plain file the model's own files leave free.</summary>
    private static List<KeyValuePair<string, byte[]>> CheckAdditionalFiles(IReadOnlyDictionary<string, byte[]>? files, List<(string Source, string Destination)> tokenizerFiles)
    {
        var checkedFiles = (files ?? new Dictionary<string, byte[]>()).OrderBy(file => file.Key, StringComparer.Ordinal).ToList();
        foreach (var name in checkedFiles.Select(file => file.Key))
        {
            if (name.Length == 0 || Path.GetFileName(name) != name || name is ConfigFileName || name.EndsWith(".safetensors", StringComparison.Ordinal)
                || name.EndsWith(".safetensors.index.json", StringComparison.Ordinal) || tokenizerFiles.Any(file => file.Destination == name))
            {
                throw new ArgumentException($"'{name}' is not a file name the model's own files leave free", nameof(files));
            }
        }

        return checkedFiles;
    }

    private static string ConfigText(ModelConfig config)
    {
        try
        {
            return HuggingFaceConfigWriter.ToJson(config);
        }
        catch (ArgumentException e)
        {
            throw new A3InputException(A3ErrorCodes.InvalidModelConfig, e.Message, inner: e);
        }
    }

    private static void CheckTensors(ModelConfig config, IReadOnlyDictionary<string, torch.Tensor> tensors)
    {
        var expected = ModelTensorShapes.Expected(config);
        foreach (var (name, shape) in expected)
        {
            if (!tensors.TryGetValue(name, out var tensor) || tensor is null)
            {
                throw new A3InputException(A3ErrorCodes.InvalidModelConfig, $"tensor '{name}' is missing; the configuration expects shape {Format(shape)}.");
            }

            if (!shape.SequenceEqual(tensor.shape))
            {
                throw new A3InputException(
                    A3ErrorCodes.InvalidModelConfig, $"tensor '{name}' has shape {Format(tensor.shape)}, but the configuration expects {Format(shape)}.");
            }

            if (!tensor.is_floating_point())
            {
                throw new A3InputException(A3ErrorCodes.InvalidModelConfig, $"tensor '{name}' has dtype {tensor.dtype}; model weights must be floating point.");
            }
        }

        // A tensor the format does not describe would be silently ignored by every reader, which hides slicing mistakes.
        var unexpected = tensors.Keys.Where(name => !expected.ContainsKey(name)).Order(StringComparer.Ordinal).FirstOrDefault();
        if (unexpected is not null)
        {
            throw new A3InputException(A3ErrorCodes.InvalidModelConfig, $"tensor '{unexpected}' is not part of the model the configuration describes.");
        }
    }

    private static void WriteWeights(
        string folder,
        IReadOnlyList<StreamedTensor> tensors,
        long? maxShardBytes,
        IProgress<string>? progress)
    {
        IReadOnlyList<string> written = maxShardBytes is { } limit
            ? SafetensorsWriter.WriteSharded(folder, tensors, limit, SafetensorsMetadata)
            : WriteSingle(folder, tensors);
        foreach (var file in written)
        {
            progress?.Report(file);
        }
    }

    private static string[] WriteSingle(string folder, IReadOnlyList<StreamedTensor> tensors)
    {
        SafetensorsWriter.Write(Path.Combine(folder, SafetensorsWeightSource.SingleFileName), tensors, SafetensorsMetadata);
        return [SafetensorsWeightSource.SingleFileName];
    }

    /// <summary>
    /// The tensors in the storage dtype, each converted only when the writer reaches it, so no second copy of the
    /// whole model exists at once; the caller's tensors are never disposed.
    /// </summary>
    private static List<StreamedTensor> Converted(IReadOnlyDictionary<string, torch.Tensor> tensors, TensorDType dtype, CancellationToken cancellationToken) =>
        tensors.Select(pair => Streamed(pair.Key, pair.Value.shape, dtype, () => pair.Value, cancellationToken)).ToList();

    /// <summary>A tensor produced when due, checked against its declared shape and converted to the storage dtype on the CPU.</summary>
    private static StreamedTensor Streamed(string name, long[] shape, TensorDType dtype, Func<torch.Tensor> produce, CancellationToken cancellationToken) =>
        new(name, dtype, shape, () =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tensor = produce();
            if (!tensor.is_floating_point() || !tensor.shape.SequenceEqual(shape))
            {
                throw new InvalidOperationException($"tensor '{name}' was produced as {tensor.dtype} [{string.Join(", ", tensor.shape)}]; expected floating point [{string.Join(", ", shape)}]");
            }

            return tensor.detach().to(SafetensorsDTypes.ToScalarType(dtype), torch.CPU).contiguous();
        });

    private static List<(string Source, string Destination)> ResolveTokenizerFiles(string source)
    {
        if (!Directory.Exists(source) && !File.Exists(source))
        {
            throw new A3InputException(A3ErrorCodes.FileNotFound, "the tokenizer source does not exist.", source);
        }

        var files = ModelFiles.CarriedTokenizerFiles(source);
        if (files.Count == 0)
        {
            throw new A3InputException(
                A3ErrorCodes.InvalidTokenizer,
                $"no tokenizer found to copy: expected {ModelFiles.SentencePieceModelFileName} or {ModelFiles.TokenizerJsonFileName} in the folder, or {ModelFiles.TokenizersBesideCheckpoint} beside the checkpoint.",
                source);
        }

        return files.Select(file => (file.Path, file.Name)).ToList();
    }

    private static string Format(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
