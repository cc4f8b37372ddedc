using A3.Runtime.Model;

namespace A3.Onnx.Graph;

/// <summary>
/// RoPE of one layer on its kept pairs (FORMAT.md section 5), as the runtime's <c>RotaryEmbedding</c> computes it:
/// key/value head <c>j</c>'s kept pair <c>m</c> turns dims <c>m</c> and <c>m + qk/2</c> by <c>position · θ_{pairs[j][m]}</c>.
/// </summary>
internal static class RotaryGraph
{
    /// <summary>
    /// Returns cos and sin, float32 <c>[B, H_kv, T, qk/2]</c>, of layer <paramref name="layer"/>'s angles: the runtime's inverse
    /// frequencies (rope scaling included) gathered by the layer's kept pairs, stored as a float64 constant.
    /// </summary>
    public static (string Cos, string Sin) Angles(GraphBuilder g, SharedValues shared, double[] inverseFrequencies, LayerShape shape, int layer)
    {
        var half = shape.QkHeadDim / 2;
        var heads = shape.RopePairs.Count;
        var gathered = new double[heads * half];
        for (var head = 0; head < heads; head++)
        {
            for (var m = 0; m < half; m++)
            {
                gathered[(head * half) + m] = inverseFrequencies[shape.RopePairs[head][m]];
            }
        }

        var frequencies = g.Doubles($"model.layers.{layer}.self_attn.rotary_inverse_frequencies", [heads, 1, half], gathered);
        var angles = g.Add("Mul", [shared.Positions, frequencies]);
        var toFloat = GraphBuilder.Attribute("to", (long)global::Onnx.TensorProto.Types.DataType.Float);
        return (g.Add("Cast", [g.Add("Cos", [angles])], toFloat), g.Add("Cast", [g.Add("Sin", [angles])], toFloat));
    }

    /// <summary>Rotates <paramref name="x"/> (last dim <c>qk</c>) with <paramref name="cos"/>/<paramref name="sin"/> broadcasting to <c>[…, T, qk/2]</c>.</summary>
    public static string Apply(GraphBuilder g, string x, string cos, string sin, int qkHeadDim)
    {
        long half = qkHeadDim / 2;
        var lastAxis = g.Int64s(-1);
        var first = g.Add("Slice", [x, g.Int64s(0), g.Int64s(half), lastAxis]);
        var second = g.Add("Slice", [x, g.Int64s(half), g.Int64s(qkHeadDim), lastAxis]);
        var rotatedFirst = g.Add("Sub", [g.Add("Mul", [first, cos]), g.Add("Mul", [second, sin])]);
        var rotatedSecond = g.Add("Add", [g.Add("Mul", [second, cos]), g.Add("Mul", [first, sin])]);
        return g.Add("Concat", [rotatedFirst, rotatedSecond], GraphBuilder.Attribute("axis", -1L));
    }
}
