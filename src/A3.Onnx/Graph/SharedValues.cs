using A3.Recipes;

namespace A3.Onnx.Graph;

/// <summary>Values every layer uses, computed once from the graph inputs.</summary>
/// <param name="BatchAndSequence">int64 <c>[2]</c>: <c>[batch_size, sequence_length]</c>, the leading dims when flattened activations are unflattened.</param>
/// <param name="Allowed">bool <c>[B, 1, 1, T, S]</c>: whether new position <c>t</c> may attend key position <c>s</c> (causal and not padding).</param>
/// <param name="Positions">float64 <c>[B, 1, T, 1]</c>: the position ids, ready to multiply a layer's <c>[H_kv, 1, qk/2]</c> inverse frequencies.</param>
internal sealed record SharedValues(string BatchAndSequence, string Allowed, string Positions)
{
    /// <summary>Computes the shared values from the graph inputs.</summary>
    public static SharedValues Build(GraphBuilder g)
    {
        g.Scope = "model/shared";
        var batchAndSequence = g.Add("Shape", [OnnxGraphNames.InputIds]);
        var sequence = g.Add("Gather", [batchAndSequence, g.Int64Scalar(1)], GraphBuilder.Attribute("axis", 0L));
        var total = g.Add("Gather", [g.Add("Shape", [OnnxGraphNames.AttentionMask]), g.Int64Scalar(1)], GraphBuilder.Attribute("axis", 0L));
        var past = g.Add("Sub", [total, sequence]);

        // New token t sits at index past + t of the keys and sees keys 0 … past + t: causality by index, as in
        // Hugging Face, while position_ids only turn RoPE (left padding shifts them, not the indices).
        var keyIndices = g.Add("Range", [g.Int64Scalar(0), total, g.Int64Scalar(1)]);
        var queryIndices = g.Add("Range", [past, total, g.Int64Scalar(1)]);
        var causal = g.Add(
            "LessOrEqual",
            [g.Add("Unsqueeze", [keyIndices, g.Int64s(0)]), g.Add("Unsqueeze", [queryIndices, g.Int64s(1)])]);
        var notPadding = g.Add("Cast", [OnnxGraphNames.AttentionMask], GraphBuilder.Attribute("to", (long)global::Onnx.TensorProto.Types.DataType.Bool));
        var allowed = g.Add("And", [causal, g.Add("Unsqueeze", [notPadding, g.Int64s(1, 2, 3)])]);

        // Angles in float64 as the runtime's RotaryEmbedding forms them, so large positions keep their precision.
        var positions = g.Add("Cast", [OnnxGraphNames.PositionIds], GraphBuilder.Attribute("to", (long)global::Onnx.TensorProto.Types.DataType.Double));
        positions = g.Add("Unsqueeze", [positions, g.Int64s(1, 3)]);
        return new SharedValues(batchAndSequence, allowed, positions);
    }
}
