using A3.Recipes;
using A3.Runtime.Model;
using Onnx;

namespace A3.Onnx.Graph;

/// <summary>
/// The graph's inputs and outputs with their element types and shapes: static head counts, head dims and vocabulary,
/// symbolic batch and sequence dims named as Hugging Face Optimum names them.
/// </summary>
internal static class GraphSignature
{
    /// <summary>The symbolic batch dimension.</summary>
    public const string Batch = "batch_size";

    /// <summary>The symbolic number of new positions.</summary>
    public const string Sequence = "sequence_length";

    /// <summary>The symbolic number of cached positions.</summary>
    public const string Past = "past_sequence_length";

    /// <summary>The symbolic number of cached and new positions.</summary>
    public const string Total = "past_sequence_length + sequence_length";

    /// <summary>Declares every input and output of the decoder graph for <paramref name="config"/>.</summary>
    public static void Declare(GraphProto graph, ModelConfig config)
    {
        var int64 = TensorProto.Types.DataType.Int64;
        var float32 = TensorProto.Types.DataType.Float;
        graph.Input.Add(Value(OnnxGraphNames.InputIds, int64, Batch, Sequence));
        graph.Input.Add(Value(OnnxGraphNames.AttentionMask, int64, Batch, Total));
        graph.Input.Add(Value(OnnxGraphNames.PositionIds, int64, Batch, Sequence));
        graph.Output.Add(Value(OnnxGraphNames.Logits, float32, Batch, Sequence, (long)config.VocabSize));
        for (var i = 0; i < config.NumLayers; i++)
        {
            var shape = config.Layers[i];
            long heads = config.NumKeyValueHeads;
            graph.Input.Add(Value(OnnxGraphNames.PastKey(i), float32, Batch, heads, Past, (long)shape.QkHeadDim));
            graph.Input.Add(Value(OnnxGraphNames.PastValue(i), float32, Batch, heads, Past, (long)shape.VHeadDim));
            graph.Output.Add(Value(OnnxGraphNames.PresentKey(i), float32, Batch, heads, Total, (long)shape.QkHeadDim));
            graph.Output.Add(Value(OnnxGraphNames.PresentValue(i), float32, Batch, heads, Total, (long)shape.VHeadDim));
        }
    }

    /// <summary>A tensor value of <paramref name="type"/> whose dims are symbolic (a string) or fixed (a long).</summary>
    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim is string symbol ? new TensorShapeProto.Types.Dimension { DimParam = symbol } : new TensorShapeProto.Types.Dimension { DimValue = (long)dim });
        }

        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
