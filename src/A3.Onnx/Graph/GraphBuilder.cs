using Google.Protobuf;
using Onnx;

namespace A3.Onnx.Graph;

/// <summary>
/// Appends nodes and small constants to an ONNX graph under readable, unique, deterministic names
/// (<c>/{scope}/{op}_{n}</c>), so the same model always gives the same graph bytes.
/// </summary>
internal sealed class GraphBuilder
{
    private readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> constants = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance that appends to <paramref name="graph"/>.</summary>
    public GraphBuilder(GraphProto graph) => Graph = graph;

    /// <summary>Gets the graph being built.</summary>
    public GraphProto Graph { get; }

    /// <summary>Gets or sets the prefix of the names of the next nodes, for example <c>model.layers.3.self_attn</c>.</summary>
    public string Scope { get; set; } = "model";

    /// <summary>Appends a node of <paramref name="opType"/> with one output and returns that output's name.</summary>
    /// <param name="opType">The operator of the default domain.</param>
    /// <param name="inputs">The input names; an empty string marks an omitted optional input.</param>
    /// <param name="attributes">The node's attributes.</param>
    /// <returns>The output name.</returns>
    public string Add(string opType, IReadOnlyList<string> inputs, params AttributeProto[] attributes) =>
        AddNamed(opType, inputs, output: null, attributes);

    /// <summary>Appends a node whose one output has the given name (a graph output), or a generated one when <paramref name="output"/> is null.</summary>
    public string AddNamed(string opType, IReadOnlyList<string> inputs, string? output, params AttributeProto[] attributes)
    {
        var name = UniqueName(opType);
        var node = new NodeProto { Name = name, OpType = opType };
        node.Input.AddRange(inputs);
        var outputName = output ?? name + "_output_0";
        node.Output.Add(outputName);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return outputName;
    }

    /// <summary>Returns a 1-D int64 constant holding <paramref name="values"/>, added once per distinct value list.</summary>
    public string Int64s(params long[] values) =>
        Constant("i64[" + string.Join(",", values) + "]", () => Tensor(TensorProto.Types.DataType.Int64, [values.Length], LittleEndianBytes(values)));

    /// <summary>Returns a 0-d int64 constant, added once per distinct value.</summary>
    public string Int64Scalar(long value) =>
        Constant($"i64({value})", () => Tensor(TensorProto.Types.DataType.Int64, [], LittleEndianBytes([value])));

    /// <summary>Returns a 0-d float32 constant, added once per distinct value.</summary>
    public string FloatScalar(float value) =>
        Constant($"f32({BitConverter.SingleToInt32Bits(value):x8})", () => Tensor(TensorProto.Types.DataType.Float, [], LittleEndianBytes([value])));

    /// <summary>Adds a named float64 constant (computed by the exporter, not read from the checkpoint) and returns its name.</summary>
    public string Doubles(string name, long[] shape, double[] values)
    {
        var tensor = Tensor(TensorProto.Types.DataType.Double, shape, LittleEndianBytes(values));
        tensor.Name = name;
        Graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto Attribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    public static AttributeProto Attribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>An integer-list attribute.</summary>
    public static AttributeProto Attribute(string name, long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static TensorProto Tensor(TensorProto.Types.DataType type, long[] shape, byte[] littleEndian)
    {
        var tensor = new TensorProto { DataType = (int)type, RawData = ByteString.CopyFrom(littleEndian) };
        tensor.Dims.AddRange(shape);
        return tensor;
    }

    private static byte[] LittleEndianBytes<T>(T[] values)
        where T : unmanaged
    {
        // ONNX raw_data is little-endian; so is every platform .NET and ONNX Runtime run on here.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX export needs a little-endian platform.");
        }

        return System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }

    private string Constant(string key, Func<TensorProto> create)
    {
        if (constants.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var tensor = create();
        tensor.Name = $"/constants/{constants.Count}";
        Graph.Initializer.Add(tensor);
        constants[key] = tensor.Name;
        return tensor.Name;
    }

    private string UniqueName(string opType)
    {
        var key = $"/{Scope}/{opType}";
        var index = counts.GetValueOrDefault(key);
        counts[key] = index + 1;
        return $"{key}_{index}";
    }
}
