using A3.Recipes;
using A3.Runtime.Model;

namespace A3.Onnx.Graph;

/// <summary>
/// Causal grouped-query self-attention of one layer with a key/value cache, as the runtime's <c>Attention</c> computes
/// it: query heads are grouped by their key/value head (<c>[B, H_kv, G, T, qk]</c>) and meet the cached keys by a
/// broadcasting MatMul, which equals repeating each key/value head <c>G</c> times without materialising the copies.
/// </summary>
internal static class AttentionGraph
{
    /// <summary>Attends <paramref name="x"/> (<c>[N, d]</c>, normalised) and returns the o_proj output <c>[N, d]</c>; writes layer <paramref name="layer"/>'s present keys and values.</summary>
    public static string Apply(
        GraphBuilder g, StreamedWeights weights, SharedValues shared, string x, ModelConfig config, int layer, double[] inverseFrequencies)
    {
        var shape = config.Layers[layer];
        var names = TensorNames.Layer(layer);
        long keyValueHeads = config.NumKeyValueHeads;
        long group = config.GroupSize;
        long qk = shape.QkHeadDim;
        long v = shape.VHeadDim;

        var query = LinearGraph.Apply(g, weights, x, names.Query, shape, config.AttentionBias);
        var key = LinearGraph.Apply(g, weights, x, names.Key, shape, config.AttentionBias);
        var value = LinearGraph.Apply(g, weights, x, names.Value, shape, config.AttentionBias);

        // Head-major rows of q_proj: query head h = j·G + g is key/value head j's g-th query.
        var q = g.Add("Transpose", [Unflatten(g, shared, query, keyValueHeads, group, qk)], GraphBuilder.Attribute("perm", [0L, 2, 3, 1, 4]));
        var k = g.Add("Transpose", [Unflatten(g, shared, key, keyValueHeads, qk)], GraphBuilder.Attribute("perm", [0L, 2, 1, 3]));
        var vHeads = g.Add("Transpose", [Unflatten(g, shared, value, keyValueHeads, v)], GraphBuilder.Attribute("perm", [0L, 2, 1, 3]));

        var (cos, sin) = RotaryGraph.Angles(g, shared, inverseFrequencies, shape, layer);
        var queryAxis = g.Int64s(2);
        q = RotaryGraph.Apply(g, q, g.Add("Unsqueeze", [cos, queryAxis]), g.Add("Unsqueeze", [sin, queryAxis]), shape.QkHeadDim);
        k = RotaryGraph.Apply(g, k, cos, sin, shape.QkHeadDim);

        var keys = g.AddNamed("Concat", [OnnxGraphNames.PastKey(layer), k], OnnxGraphNames.PresentKey(layer), GraphBuilder.Attribute("axis", 2L));
        var values = g.AddNamed("Concat", [OnnxGraphNames.PastValue(layer), vHeads], OnnxGraphNames.PresentValue(layer), GraphBuilder.Attribute("axis", 2L));

        var keysTransposed = g.Add("Unsqueeze", [g.Add("Transpose", [keys], GraphBuilder.Attribute("perm", [0L, 1, 3, 2])), queryAxis]);
        var scores = g.Add("Mul", [g.Add("MatMul", [q, keysTransposed]), g.FloatScalar((float)config.AttentionScale)]);

        // The lowest finite float, not −∞, for masked scores (as Hugging Face does): a row with every key masked (a
        // padding query) then gets finite garbage instead of NaN, which would reach other rows through the cache.
        scores = g.Add("Where", [shared.Allowed, scores, g.FloatScalar(float.MinValue)]);
        var probabilities = g.Add("Softmax", [scores], GraphBuilder.Attribute("axis", -1L));
        var context = g.Add("MatMul", [probabilities, g.Add("Unsqueeze", [values, queryAxis])]);
        context = g.Add("Transpose", [context], GraphBuilder.Attribute("perm", [0L, 3, 1, 2, 4]));
        context = g.Add("Reshape", [context, g.Int64s(-1, config.NumAttentionHeads * v)]);
        return LinearGraph.Apply(g, weights, context, names.Output, shape, withBias: false);
    }

    /// <summary>Reshapes flattened <c>[N, …]</c> activations to <c>[B, T, dims…]</c>.</summary>
    private static string Unflatten(GraphBuilder g, SharedValues shared, string x, params long[] dims) =>
        g.Add("Reshape", [x, g.Add("Concat", [shared.BatchAndSequence, g.Int64s(dims)], GraphBuilder.Attribute("axis", 0L))]);
}
