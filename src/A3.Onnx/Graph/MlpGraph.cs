using A3.Runtime.Model;

namespace A3.Onnx.Graph;

/// <summary>The SwiGLU MLP <c>down(silu(gate x) ⊙ up x)</c> of one layer, at its own intermediate size.</summary>
internal static class MlpGraph
{
    /// <summary>Applies layer <paramref name="names"/>' MLP to <paramref name="x"/> (<c>[N, d]</c>).</summary>
    public static string Apply(GraphBuilder g, StreamedWeights weights, string x, LayerTensorNames names, LayerShape shape)
    {
        var gate = LinearGraph.Apply(g, weights, x, names.Gate, shape, withBias: false);
        var up = LinearGraph.Apply(g, weights, x, names.Up, shape, withBias: false);

        // silu(z) = z·sigmoid(z): opset 17 has no SiLU operator.
        var hidden = g.Add("Mul", [g.Add("Mul", [gate, g.Add("Sigmoid", [gate])]), up]);
        return LinearGraph.Apply(g, weights, hidden, names.Down, shape, withBias: false);
    }
}
