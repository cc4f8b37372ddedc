using System.Buffers.Binary;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using TorchSharp;

namespace A3.Runtime.IO;

/// <summary>
/// Writes TorchSharp tensors as safetensors with deterministic bytes: the same tensors and
/// metadata always give the same file, whatever order the dictionary enumerates in.
/// </summary>
/// <remarks>
/// Layout: names sorted ordinally; compact JSON with <c>__metadata__</c> first (keys sorted),
/// then each tensor as <c>{"dtype","shape","data_offsets"}</c>; the header padded with spaces to
/// a multiple of 8 bytes; data contiguous in name order. Files are written to a temporary file
/// beside the target and renamed into place, so a failure never leaves a partial file.
/// Tensors held in memory and <see cref="StreamedTensor"/>s produced one at a time go through the same
/// path (the in-memory overloads wrap each tensor as a producer that returns it), so the same tensors give
/// the same bytes either way, and a streamed write holds one tensor at a time.
/// </remarks>
internal static class SafetensorsWriter
{
    private const int CopyChunkSize = 64 << 20;

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        // Keeps non-ASCII names readable, as Python's safetensors writes them; still deterministic.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Writes one safetensors file.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tensors">Tensor name to tensor; F32, F16, BF16 or F64, on any device.</param>
    /// <param name="metadata">Optional <c>__metadata__</c> strings.</param>
    /// <exception cref="ArgumentException">A name is empty or reserved, or a tensor's dtype is not F32, F16, BF16 or F64.</exception>
    public static void Write(string path, IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Write(path, InMemory(tensors), metadata);
    }

    /// <summary>Writes one safetensors file from tensors produced one at a time, each disposed once written.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tensors">The tensors' names, dtypes, shapes and producers; F32, F16, BF16 or F64.</param>
    /// <param name="metadata">Optional <c>__metadata__</c> strings.</param>
    /// <exception cref="ArgumentException">A name is empty, reserved or repeated.</exception>
    /// <exception cref="InvalidOperationException">A producer returned a tensor whose dtype or shape differs from its declaration.</exception>
    public static void Write(string path, IReadOnlyList<StreamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var ordered = Validate(tensors);
        var header = BuildHeader(ordered, metadata);
        WriteAtomically(Path.GetFullPath(path), stream => WriteFile(stream, header, ordered));
    }

    /// <summary>
    /// Writes a checkpoint folder split into shards of at most <paramref name="maxShardBytes"/>
    /// data bytes (a larger tensor gets a shard of its own), named
    /// <c>model-00001-of-0000N.safetensors</c>, plus <c>model.safetensors.index.json</c>. When
    /// everything fits in one shard it writes just <c>model.safetensors</c>, as Hugging Face does.
    /// </summary>
    /// <param name="folder">The folder to write into; created when missing.</param>
    /// <param name="tensors">Tensor name to tensor; F32, F16, BF16 or F64, on any device.</param>
    /// <param name="maxShardBytes">The most tensor data bytes per shard.</param>
    /// <param name="metadata">Optional <c>__metadata__</c> strings, written into every shard.</param>
    /// <returns>The file names written, shards first, then the index when there is one.</returns>
    /// <exception cref="ArgumentException">A name is empty or reserved, or a tensor's dtype is not F32, F16, BF16 or F64.</exception>
    /// <remarks>Files of an earlier, differently sharded write in the same folder are left alone.</remarks>
    public static IReadOnlyList<string> WriteSharded(
        string folder,
        IReadOnlyDictionary<string, torch.Tensor> tensors,
        long maxShardBytes,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        return WriteSharded(folder, InMemory(tensors), maxShardBytes, metadata);
    }

    /// <summary>
    /// Writes a checkpoint folder as <see cref="WriteSharded(string, IReadOnlyDictionary{string, torch.Tensor}, long, IReadOnlyDictionary{string, string}?)"/>
    /// does, from tensors produced one at a time (shards are planned from the declared shapes before any is produced).
    /// </summary>
    /// <param name="folder">The folder to write into; created when missing.</param>
    /// <param name="tensors">The tensors' names, dtypes, shapes and producers; F32, F16, BF16 or F64.</param>
    /// <param name="maxShardBytes">The most tensor data bytes per shard.</param>
    /// <param name="metadata">Optional <c>__metadata__</c> strings, written into every shard.</param>
    /// <returns>The file names written, shards first, then the index when there is one.</returns>
    /// <exception cref="ArgumentException">A name is empty, reserved or repeated.</exception>
    /// <exception cref="InvalidOperationException">A producer returned a tensor whose dtype or shape differs from its declaration.</exception>
    public static IReadOnlyList<string> WriteSharded(
        string folder,
        IReadOnlyList<StreamedTensor> tensors,
        long maxShardBytes,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxShardBytes);
        var ordered = Validate(tensors);
        var fullFolder = Path.GetFullPath(folder);
        Directory.CreateDirectory(fullFolder);

        var shards = new List<List<PendingTensor>>();
        var current = new List<PendingTensor>();
        long currentBytes = 0;
        foreach (var tensor in ordered)
        {
            if (current.Count > 0 && currentBytes + tensor.ByteLength > maxShardBytes)
            {
                shards.Add(current);
                current = [];
                currentBytes = 0;
            }

            current.Add(tensor);
            currentBytes += tensor.ByteLength;
        }

        shards.Add(current);
        if (shards.Count == 1)
        {
            Write(Path.Combine(fullFolder, SafetensorsWeightSource.SingleFileName), tensors, metadata);
            return [SafetensorsWeightSource.SingleFileName];
        }

        var written = new List<string>();
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < shards.Count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors");
            var shard = shards[i];
            var header = BuildHeader(shard, metadata);
            WriteAtomically(Path.Combine(fullFolder, name), stream => WriteFile(stream, header, shard));
            foreach (var tensor in shard)
            {
                weightMap[tensor.Source.Name] = name;
            }

            written.Add(name);
        }

        var index = BuildIndex(weightMap, ordered.Sum(t => t.ByteLength));
        WriteAtomically(Path.Combine(fullFolder, SafetensorsIndex.FileName), stream => stream.Write(index));
        written.Add(SafetensorsIndex.FileName);
        return written;
    }

    /// <summary>Wraps tensors already in memory as producers that return them (not disposed by the write).</summary>
    private static List<StreamedTensor> InMemory(IReadOnlyDictionary<string, torch.Tensor> tensors)
    {
        var streamed = new List<StreamedTensor>(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, $"{nameof(tensors)}[{name}]");
            var dtype = SafetensorsDTypes.FromScalarType(tensor.dtype)
                ?? throw new ArgumentException($"tensor '{name}' has dtype {tensor.dtype}; safetensors output supports Float32, Float16, BFloat16 and Float64", nameof(tensors));
            streamed.Add(new StreamedTensor(name, dtype, tensor.shape, () => tensor));
        }

        return streamed;
    }

    private static List<PendingTensor> Validate(IReadOnlyList<StreamedTensor> tensors)
    {
        var ordered = new List<PendingTensor>(tensors.Count);
        string? previous = null;
        foreach (var tensor in tensors.OrderBy(tensor => tensor.Name, StringComparer.Ordinal))
        {
            var name = tensor.Name;
            if (string.IsNullOrEmpty(name) || name == "__metadata__")
            {
                throw new ArgumentException($"'{name}' cannot name a tensor in a safetensors file", nameof(tensors));
            }

            if (name == previous)
            {
                throw new ArgumentException($"tensor '{name}' is listed twice", nameof(tensors));
            }

            previous = name;
            var elements = tensor.Shape.Aggregate(1L, (product, dim) => checked(product * dim));
            ordered.Add(new PendingTensor(tensor, checked(elements * SafetensorsDTypes.BitsPerElement(SafetensorsDTypes.ToName(tensor.DType))!.Value / 8)));
        }

        return ordered;
    }

    private static byte[] BuildHeader(List<PendingTensor> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var tensor in ordered)
            {
                json.WriteStartObject(tensor.Source.Name);
                json.WriteString("dtype", SafetensorsDTypes.ToName(tensor.Source.DType));
                json.WriteStartArray("shape");
                foreach (var dim in tensor.Source.Shape)
                {
                    json.WriteNumberValue(dim);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += tensor.ByteLength;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        // Padding keeps the data area 8-byte aligned, as the reference implementation does.
        var length = buffer.Length;
        var padded = (length + 7) / 8 * 8;
        for (var i = length; i < padded; i++)
        {
            buffer.WriteByte((byte)' ');
        }

        return buffer.ToArray();
    }

    private static byte[] BuildIndex(SortedDictionary<string, string> weightMap, long totalSize)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JsonOptions.Encoder, Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("metadata");
            json.WriteNumber("total_size", totalSize);
            json.WriteEndObject();
            json.WriteStartObject("weight_map");
            foreach (var (tensor, shard) in weightMap)
            {
                json.WriteString(tensor, shard);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteFile(FileStream stream, byte[] header, List<PendingTensor> ordered)
    {
        Span<byte> lengthField = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(lengthField, (ulong)header.Length);
        stream.Write(lengthField);
        stream.Write(header);
        foreach (var tensor in ordered)
        {
            WriteData(stream, tensor);
        }
    }

    private static void WriteData(FileStream stream, PendingTensor pending)
    {
        // Produced inside the scope, so a generated tensor is freed before the next one exists; a tensor the caller
        // holds was created outside it and survives.
        using var scope = torch.NewDisposeScope();
        var source = pending.Source;
        var tensor = source.Produce();
        if (SafetensorsDTypes.FromScalarType(tensor.dtype) != source.DType || !tensor.shape.SequenceEqual(source.Shape))
        {
            throw new InvalidOperationException(
                $"tensor '{source.Name}' was declared {source.DType} [{string.Join(", ", source.Shape)}] but produced as {tensor.dtype} [{string.Join(", ", tensor.shape)}]");
        }

        if (pending.ByteLength == 0)
        {
            return;
        }

        var flat = tensor.detach().cpu().contiguous().reshape(-1);
        var chunkElements = Math.Max(1, CopyChunkSize / flat.ElementSize);
        var count = flat.numel();
        for (long start = 0; start < count; start += chunkElements)
        {
            // A span per chunk: tensors over 2 GB cannot be exposed as one span.
            using var part = flat.narrow(0, start, Math.Min(chunkElements, count - start));
            stream.Write(part.bytes);
        }
    }

    private static void WriteAtomically(string path, Action<FileStream> write)
    {
        var folder = Path.GetDirectoryName(path)!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private sealed record PendingTensor(StreamedTensor Source, long ByteLength);
}
