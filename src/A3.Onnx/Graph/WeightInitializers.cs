using Google.Protobuf;
using Onnx;

namespace A3.Onnx.Graph;

/// <summary>
/// Turns the checkpoint's float32 weights into graph initializers, one tensor at a time: inside <c>model.onnx</c>
/// (<c>raw_data</c>), or appended to the external data file with only its location, offset and length in the graph.
/// </summary>
/// <remarks>
/// External offsets follow <c>onnx.external_data_helper</c>'s alignment: a multiple of 4096 bytes (the page size, so
/// ONNX Runtime can memory-map a tensor), and of 65536 bytes (Windows' allocation granularity) for tensors of 1 MiB or
/// more. The gaps are zero bytes, so the file is deterministic.
/// </remarks>
internal sealed class WeightInitializers : IDisposable
{
    private const long PageAlignment = 4096;
    private const long LargeTensorAlignment = 65536;
    private const long LargeTensorBytes = 1 << 20;

    private readonly GraphProto graph;
    private readonly FileStream? external;
    private readonly string? location;

    private WeightInitializers(GraphProto graph, FileStream? external, string? location)
    {
        this.graph = graph;
        this.external = external;
        this.location = location;
    }

    /// <summary>Writes every weight into the graph itself.</summary>
    public static WeightInitializers Inline(GraphProto graph) => new(graph, null, null);

    /// <summary>Writes every weight to <paramref name="dataPath"/> (created), referred to from the graph as <paramref name="location"/>, a path relative to the graph file.</summary>
    public static WeightInitializers External(GraphProto graph, string dataPath, string location) =>
        new(graph, new FileStream(dataPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20), location);

    /// <summary>Adds initializer <paramref name="name"/> of <paramref name="shape"/> with the float32 values <paramref name="littleEndianFloats"/>.</summary>
    public void Add(string name, long[] shape, ReadOnlySpan<byte> littleEndianFloats)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(shape);
        if (external is null)
        {
            tensor.RawData = ByteString.CopyFrom(littleEndianFloats);
        }
        else
        {
            var alignment = littleEndianFloats.Length >= LargeTensorBytes ? LargeTensorAlignment : PageAlignment;
            var offset = (external.Position + alignment - 1) / alignment * alignment;
            external.Write(new byte[offset - external.Position]);
            external.Write(littleEndianFloats);
            tensor.DataLocation = TensorProto.Types.DataLocation.External;
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = littleEndianFloats.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        graph.Initializer.Add(tensor);
    }

    /// <summary>Flushes the external data file to disk.</summary>
    public void Complete() => external?.Flush(flushToDisk: true);

    /// <inheritdoc />
    public void Dispose() => external?.Dispose();
}
