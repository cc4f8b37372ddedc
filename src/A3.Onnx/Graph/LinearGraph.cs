using A3.Runtime.Model;

namespace A3.Onnx.Graph;

/// <summary>
/// A linear projection on flattened activations <c>[N, in]</c>: <c>Gemm</c> with <c>transB</c>, so the weight keeps its
/// checkpoint layout <c>[out, in]</c> and name (and a tied embedding is one initializer); a factorised projection is
/// two Gemms, <c>(x·Aᵀ)·Bᵀ</c>, never multiplied out (FORMAT.md section 8).
/// </summary>
internal static class LinearGraph
{
    /// <summary>Applies the projection <paramref name="names"/> to <paramref name="x"/>, adding its weights to the graph.</summary>
    public static string Apply(GraphBuilder g, StreamedWeights weights, string x, ProjectionTensorNames names, LayerShape shape, bool withBias)
    {
        var bias = withBias ? weights.Add(names.Bias) : null;
        if (shape.RankOf(names.Name) is null)
        {
            return Gemm(g, x, weights.Add(names.Weight), bias);
        }

        var inner = Gemm(g, x, weights.Add(names.WeightA), bias: null);
        return Gemm(g, inner, weights.Add(names.WeightB), bias);
    }

    /// <summary><c>x · weightᵀ (+ bias)</c> for <paramref name="x"/> <c>[N, in]</c> and <paramref name="weight"/> <c>[out, in]</c>.</summary>
    public static string Gemm(GraphBuilder g, string x, string weight, string? bias) =>
        g.Add("Gemm", bias is null ? [x, weight] : [x, weight, bias], GraphBuilder.Attribute("transB", 1L));
}
