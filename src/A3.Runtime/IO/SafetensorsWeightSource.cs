using TorchSharp;

namespace A3.Runtime.IO;

/// <summary>
/// The weights of a checkpoint stored as safetensors: one file, a folder with
/// <c>model.safetensors</c>, or a sharded folder with <c>model.safetensors.index.json</c>.
/// </summary>
/// <remarks>
/// For a sharded folder the index is authoritative: every mapped shard must exist and hold the
/// tensors mapped to it, and tensors a shard holds beyond those are ignored.
/// </remarks>
internal sealed class SafetensorsWeightSource : IWeightSource
{
    /// <summary>The file name of an unsharded checkpoint in a folder.</summary>
    public const string SingleFileName = "model.safetensors";

    private readonly List<SafetensorsFile> files;
    private readonly Dictionary<string, SafetensorsFile> fileByTensor;
    private readonly string[] names;

    private SafetensorsWeightSource(List<SafetensorsFile> files, Dictionary<string, SafetensorsFile> fileByTensor)
    {
        this.files = files;
        this.fileByTensor = fileByTensor;
        names = [.. fileByTensor.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>Gets the opened safetensors files (one, or one per shard in shard-name order).</summary>
    public IReadOnlyList<SafetensorsFile> Files => files;

    /// <summary>Gets the tensor names, sorted ordinally.</summary>
    public IReadOnlyCollection<string> Names => names;

    /// <summary>Opens a safetensors file or a checkpoint folder (sharded or not).</summary>
    /// <param name="path">A <c>.safetensors</c> file or a folder holding one of the layouts above.</param>
    /// <exception cref="A3InputException">Nothing usable is at <paramref name="path"/>, or a file is malformed.</exception>
    public static SafetensorsWeightSource Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (File.Exists(fullPath))
        {
            return FromSingleFile(fullPath);
        }

        if (!Directory.Exists(fullPath))
        {
            throw new A3InputException(A3ErrorCodes.FileNotFound, $"{Path.GetFileName(fullPath)}: no such safetensors file or folder", fullPath);
        }

        var indexPath = Path.Combine(fullPath, SafetensorsIndex.FileName);
        if (File.Exists(indexPath))
        {
            return FromIndex(SafetensorsIndex.Read(indexPath));
        }

        var singlePath = Path.Combine(fullPath, SingleFileName);
        if (File.Exists(singlePath))
        {
            return FromSingleFile(singlePath);
        }

        throw new A3InputException(
            A3ErrorCodes.FileNotFound,
            $"{Path.GetFileName(fullPath)}: the folder has neither {SafetensorsIndex.FileName} nor {SingleFileName}",
            fullPath);
    }

    /// <inheritdoc />
    public bool Contains(string name) => fileByTensor.ContainsKey(name);

    /// <inheritdoc />
    public TensorDescriptor Describe(string name) => FileOf(name).Describe(name);

    /// <inheritdoc />
    public torch.Tensor Load(string name, torch.ScalarType dtype, torch.Device device) => FileOf(name).Load(name, dtype, device);

    /// <summary>Unmaps every file.</summary>
    public void Dispose()
    {
        foreach (var file in files)
        {
            file.Dispose();
        }
    }

    private static SafetensorsWeightSource FromSingleFile(string path)
    {
        var file = SafetensorsFile.Open(path);
        return new SafetensorsWeightSource([file], file.Names.ToDictionary(name => name, _ => file, StringComparer.Ordinal));
    }

    private static SafetensorsWeightSource FromIndex(SafetensorsIndex index)
    {
        var folder = Path.GetDirectoryName(index.FilePath)!;
        var indexName = Path.GetFileName(index.FilePath);
        var opened = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            foreach (var shard in index.WeightMap.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var shardPath = Path.Combine(folder, shard);
                if (!File.Exists(shardPath))
                {
                    throw new A3InputException(A3ErrorCodes.InvalidSafetensors, $"{indexName}: shard '{shard}' does not exist in {folder}", index.FilePath);
                }

                opened[shard] = SafetensorsFile.Open(shardPath);
            }

            var fileByTensor = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var (tensor, shard) in index.WeightMap.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                var file = opened[shard];
                if (!file.Contains(tensor))
                {
                    throw new A3InputException(A3ErrorCodes.InvalidSafetensors, $"{indexName}: tensor '{tensor}' is mapped to shard '{shard}', which does not contain it", index.FilePath);
                }

                fileByTensor[tensor] = file;
            }

            return new SafetensorsWeightSource([.. opened.Values], fileByTensor);
        }
        catch
        {
            foreach (var file in opened.Values)
            {
                file.Dispose();
            }

            throw;
        }
    }

    private SafetensorsFile FileOf(string name) =>
        fileByTensor.GetValueOrDefault(name)
        ?? throw new A3InputException(A3ErrorCodes.InvalidSafetensors, $"there is no tensor '{name}' in {string.Join(", ", files.Select(f => Path.GetFileName(f.FilePath)))}", files.FirstOrDefault()?.FilePath);
}
