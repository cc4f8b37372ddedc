namespace A3.Onnx.Graph;

/// <summary>RMSNorm over the last dim, <c>w · x / sqrt(mean(x²) + ε)</c>, in the operation order of the runtime's <c>RmsNorm</c>.</summary>
internal static class RmsNormGraph
{
    /// <summary>Normalises <paramref name="x"/> (<c>[N, d]</c>) with the weight initializer <paramref name="weight"/>.</summary>
    public static string Apply(GraphBuilder g, string x, string weight, double eps)
    {
        var square = g.Add("Mul", [x, x]);

        // Opset 17's ReduceMean takes its axes as an attribute (an input only from opset 18).
        var meanSquare = g.Add("ReduceMean", [square], GraphBuilder.Attribute("axes", [-1L]), GraphBuilder.Attribute("keepdims", 1L));
        var inverseRoot = g.Add("Reciprocal", [g.Add("Sqrt", [g.Add("Add", [meanSquare, g.FloatScalar((float)eps)])])]);
        return g.Add("Mul", [weight, g.Add("Mul", [x, inverseRoot])]);
    }
}
