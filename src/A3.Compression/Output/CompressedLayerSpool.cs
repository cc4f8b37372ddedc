using A3.Runtime;
using A3.Runtime.IO;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Compression.Output;

/// <summary>
/// Each compressed layer's tensors on disk as soon as the layer is finished (one float32 safetensors file per
/// layer in a folder of its own), so a compression holds one layer in memory however deep the model is; the
/// files are memory-mapped when read back. Deletes its folder when disposed.
/// </summary>
/// <remarks>
/// The files hold the exact float32 values the solvers produced, so a model written from the spool has the bytes
/// one written from memory would have.
/// </remarks>
internal sealed class CompressedLayerSpool : IDisposable
{
    private readonly Dictionary<int, SafetensorsFile> files = [];
    private readonly Dictionary<string, int> layerOfTensor = new(StringComparer.Ordinal);
    private bool disposed;

    /// <summary>Initializes a new instance that writes into a new folder <paramref name="folder"/>.</summary>
    /// <param name="folder">A folder that does not exist yet; created now, deleted on <see cref="Dispose"/>.</param>
    public CompressedLayerSpool(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Folder = Path.GetFullPath(folder);
        if (Directory.Exists(Folder) || File.Exists(Folder))
        {
            throw new IOException($"{Folder} already exists; a spool folder must be new");
        }

        Directory.CreateDirectory(Folder);
    }

    /// <summary>The name prefix of spools in the system's temporary folder, before the owning process's id.</summary>
    private const string TemporaryPrefix = "a3-layers-";

    /// <summary>
    /// Returns a new spool folder in the system's temporary folder, named for this process, after deleting the spools
    /// there whose process is gone: a run killed outright (SIGKILL, power loss) cannot delete its own.
    /// </summary>
    /// <returns>A folder path that does not exist yet.</returns>
    public static string InTemporaryFolder()
    {
        var root = Path.GetTempPath();
        foreach (var folder in Directory.EnumerateDirectories(root, TemporaryPrefix + "*"))
        {
            // Only spools named for a process; an unnamed one is not known to be abandoned.
            var owner = Path.GetFileName(folder)[TemporaryPrefix.Length..];
            if (owner.Contains('-', StringComparison.Ordinal) && !FolderReplacement.OwnerIsRunning(owner))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // Another user's, or being deleted by another run: not this run's to remove.
                }
            }
        }

        return Path.Combine(root, $"{TemporaryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
    }

    /// <summary>Gets the folder the layers are written to.</summary>
    public string Folder { get; }

    /// <summary>Gets the names of every tensor written so far, by layer then name.</summary>
    public IEnumerable<string> Names => layerOfTensor.OrderBy(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Key);

    /// <summary>Writes the tensors of layer <paramref name="index"/>; they stay the caller's.</summary>
    public void Add(int index, LayerCompression layer)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(layer);
        if (files.ContainsKey(index))
        {
            throw new InvalidOperationException($"layer {index} is already spooled");
        }

        var path = PathOf(index);
        SafetensorsWriter.Write(path, layer.Tensors);
        files[index] = SafetensorsFile.Open(path);
        foreach (var name in layer.Tensors.Keys)
        {
            layerOfTensor[name] = index;
        }
    }

    /// <summary>Returns whether <paramref name="name"/> is a tensor of a spooled layer.</summary>
    public bool Contains(string name) => layerOfTensor.ContainsKey(name);

    /// <summary>Describes a spooled tensor.</summary>
    public TensorDescriptor Describe(string name) => FileOf(name).Describe(name);

    /// <summary>Reads a spooled tensor; the caller owns it.</summary>
    public torch.Tensor Load(string name, torch.ScalarType dtype, torch.Device device) => FileOf(name).Load(name, dtype, device);

    /// <summary>Reads layer <paramref name="index"/> back as float32 CPU tensors with <paramref name="shape"/>; the caller owns it.</summary>
    public LayerCompression Read(int index, LayerShape shape)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var file = files.TryGetValue(index, out var found) ? found : throw new InvalidOperationException($"layer {index} is not spooled");
        var tensors = file.Names.ToDictionary(name => name, name => file.Load(name, torch.float32, torch.CPU).DetachFromDisposeScope(), StringComparer.Ordinal);
        return new LayerCompression(shape, tensors, [], []);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var file in files.Values)
        {
            file.Dispose();
        }

        files.Clear();
        FolderReplacement.DeleteQuietly(Folder);
    }

    private string PathOf(int index) => Path.Combine(Folder, $"layer-{index:D5}.safetensors");

    private SafetensorsFile FileOf(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return layerOfTensor.TryGetValue(name, out var index)
            ? files[index]
            : throw new A3InputException(A3ErrorCodes.InvalidSafetensors, $"tensor '{name}' is not in a spooled layer", Folder);
    }
}
