using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using A3.IO;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Runtime.IO;

/// <summary>
/// A read-only, memory-mapped safetensors file: the header is parsed and validated on
/// <see cref="Open"/>, tensor data is copied out only when a tensor is loaded.
/// </summary>
/// <remarks>
/// Loads may run concurrently; <see cref="Dispose"/> must not race with them. The format is
/// little-endian, so this reader refuses to load on big-endian hosts rather than swap bytes.
/// </remarks>
internal sealed unsafe class SafetensorsFile : IWeightSource
{
    /// <summary>The default bytes copied per step when loading; keeps every span well below 2 GB.</summary>
    internal const long DefaultCopyChunkSize = 1L << 30;

    private const int LengthFieldSize = sizeof(ulong);

    private readonly MemoryMappedFile map;
    private readonly MemoryMappedViewAccessor view;
    private readonly byte* data;
    private readonly string[] names;
    private bool disposed;

    private SafetensorsFile(string path, SafetensorsHeader header, MemoryMappedFile map, MemoryMappedViewAccessor view)
    {
        FilePath = path;
        Header = header;
        this.map = map;
        this.view = view;
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        data = start + view.PointerOffset + LengthFieldSize + header.HeaderLength;
        names = header.Tensors.Select(entry => entry.Name).ToArray();
    }

    /// <summary>Gets the full path of the file.</summary>
    public string FilePath { get; }

    /// <summary>Gets the validated header.</summary>
    public SafetensorsHeader Header { get; }

    /// <summary>Gets the tensor names, sorted ordinally.</summary>
    public IReadOnlyCollection<string> Names => names;

    /// <summary>
    /// Gets or sets how many bytes one copy step moves when loading. Tensors larger than 2 GB
    /// need several steps because a span cannot address more; tests set this small to exercise
    /// the multi-step path without multi-gigabyte files.
    /// </summary>
    internal long CopyChunkSize { get; set; } = DefaultCopyChunkSize;

    /// <summary>Opens and validates a safetensors file.</summary>
    /// <param name="path">The file to open.</param>
    /// <exception cref="A3InputException">The file does not exist or is malformed; the message names the file and, where one is at fault, the tensor.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        var fileName = Path.GetFileName(fullPath);
        InputFiles.Require(fullPath, $"{fileName}: the safetensors file does not exist");

        var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        try
        {
            var length = stream.Length;
            if (length < LengthFieldSize)
            {
                throw Invalid(fullPath, $"{fileName}: the file is {length} bytes, too short for the 8-byte header length");
            }

            Span<byte> lengthField = stackalloc byte[LengthFieldSize];
            stream.ReadExactly(lengthField);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthField);
            if (headerLength > SafetensorsHeader.MaxHeaderLength)
            {
                throw Invalid(fullPath, $"{fileName}: the header length {headerLength} exceeds the {SafetensorsHeader.MaxHeaderLength}-byte limit; the file is corrupt or not safetensors");
            }

            if ((long)headerLength > length - LengthFieldSize)
            {
                throw Invalid(fullPath, $"{fileName}: the header length {headerLength} runs past the end of the {length}-byte file");
            }

            var json = new byte[headerLength];
            stream.ReadExactly(json);
            var header = SafetensorsHeader.Parse(json, length - LengthFieldSize - (long)headerLength, fullPath);

            map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new SafetensorsFile(fullPath, header, map, view);
        }
        catch
        {
            view?.Dispose();
            if (map is null)
            {
                stream.Dispose();
            }
            else
            {
                map.Dispose();
            }

            throw;
        }
    }

    /// <inheritdoc />
    public bool Contains(string name) => Header.Find(name) is not null;

    /// <summary>Returns the raw header entry of a tensor.</summary>
    /// <exception cref="A3InputException">The tensor does not exist.</exception>
    public SafetensorsTensorEntry GetEntry(string name) =>
        Header.Find(name) ?? throw Invalid(FilePath, $"{Path.GetFileName(FilePath)}: there is no tensor '{name}'");

    /// <inheritdoc />
    public TensorDescriptor Describe(string name)
    {
        var entry = GetEntry(name);
        return new TensorDescriptor(entry.Name, RequireLoadable(entry), entry.Shape);
    }

    /// <inheritdoc />
    public torch.Tensor Load(string name, torch.ScalarType dtype, torch.Device device)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(device);
        var entry = GetEntry(name);
        var stored = SafetensorsDTypes.ToScalarType(RequireLoadable(entry));
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors data is little-endian; loading on a big-endian host is not supported");
        }

        TorchNative.EnsureLoaded();
        using var scope = torch.NewDisposeScope();
        var elementCount = entry.Shape.Aggregate(1L, (product, dim) => product * dim);
        var flat = torch.empty([elementCount], stored);
        CopyInto(flat, data + entry.Begin, elementCount, flat.ElementSize);
        var result = flat.reshape([.. entry.Shape]).to(dtype).to(device);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        map.Dispose();
    }

    private static A3InputException Invalid(string filePath, string message) =>
        new(A3ErrorCodes.InvalidSafetensors, message, filePath);

    private TensorDType RequireLoadable(SafetensorsTensorEntry entry) =>
        entry.ElementType ?? throw Invalid(
            FilePath,
            $"{Path.GetFileName(FilePath)}: tensor '{entry.Name}' has dtype {entry.DType}, which is valid safetensors but not loadable; A3 loads F32, F16, BF16 and F64");

    private void CopyInto(torch.Tensor flat, byte* source, long elementCount, long elementSize)
    {
        // Each step copies at most CopyChunkSize bytes through a span over a narrowed view, so
        // no span ever spans more than int.MaxValue bytes however large the tensor is.
        var chunkElements = Math.Max(1, Math.Min(CopyChunkSize, int.MaxValue) / elementSize);
        for (long start = 0; start < elementCount; start += chunkElements)
        {
            var count = Math.Min(chunkElements, elementCount - start);
            using var part = flat.narrow(0, start, count);
            var target = part.bytes;
            if (target.Length != count * elementSize)
            {
                throw new InvalidOperationException($"TorchSharp exposed {target.Length} bytes for {count} elements of {elementSize} bytes");
            }

            new ReadOnlySpan<byte>(source + (start * elementSize), target.Length).CopyTo(target);
        }
    }
}
