using A3.Runtime.Model;

namespace A3.Runtime.Tests.Model;

/// <summary>
/// An independent float64 Llama forward with plain arrays and naive loops: the oracle for
/// <see cref="DecoderModel"/>. RoPE pairs, their frequency indices and angles are spelled out per head.
/// </summary>
internal sealed class ReferenceDecoder
{
    private readonly ModelConfig config;
    private readonly IReadOnlyDictionary<string, (long[] Shape, float[] Data)> weights;
    private readonly double[] inverseFrequencies;

    public ReferenceDecoder(ModelConfig config, IReadOnlyDictionary<string, (long[] Shape, float[] Data)> weights, double[]? inverseFrequencies = null)
    {
        this.config = config;
        this.weights = weights;
        this.inverseFrequencies = inverseFrequencies
            ?? Enumerable.Range(0, config.OriginalHeadDim / 2).Select(k => Math.Pow(config.RopeTheta, -2.0 * k / config.OriginalHeadDim)).ToArray();
    }

    /// <summary>Returns logits [T][V] for one sequence starting at position 0.</summary>
    public double[][] Forward(int[] ids)
    {
        var d = config.HiddenSize;
        var embedding = W("model.embed_tokens.weight");
        var x = ids.Select(id => Enumerable.Range(0, d).Select(c => (double)embedding[(id * d) + c]).ToArray()).ToArray();
        for (var layer = 0; layer < config.NumLayers; layer++)
        {
            var prefix = $"model.layers.{layer}.";
            var attention = Attention(config.Layers[layer], prefix, x.Select(row => RmsNorm(row, W(prefix + "input_layernorm.weight"))).ToArray());
            x = x.Select((row, t) => Add(row, attention[t])).ToArray();
            var mlp = x.Select(row => Mlp(config.Layers[layer], prefix, RmsNorm(row, W(prefix + "post_attention_layernorm.weight")))).ToArray();
            x = x.Select((row, t) => Add(row, mlp[t])).ToArray();
        }

        var head = config.TieWordEmbeddings ? embedding : W("lm_head.weight");
        return x.Select(row => MatVec(head, config.VocabSize, d, RmsNorm(row, W("model.norm.weight")), null)).ToArray();
    }

    private double[][] Attention(LayerShape shape, string prefix, double[][] x)
    {
        int heads = config.NumAttentionHeads, kvHeads = config.NumKeyValueHeads, qk = shape.QkHeadDim, vd = shape.VHeadDim, d = config.HiddenSize;
        var length = x.Length;
        var bias = config.AttentionBias;
        var q = x.Select(r => MatVec(W(prefix + "self_attn.q_proj.weight"), heads * qk, d, r, bias ? W(prefix + "self_attn.q_proj.bias") : null)).ToArray();
        var k = x.Select(r => MatVec(W(prefix + "self_attn.k_proj.weight"), kvHeads * qk, d, r, bias ? W(prefix + "self_attn.k_proj.bias") : null)).ToArray();
        var v = x.Select(r => MatVec(W(prefix + "self_attn.v_proj.weight"), kvHeads * vd, d, r, bias ? W(prefix + "self_attn.v_proj.bias") : null)).ToArray();

        for (var t = 0; t < length; t++)
        {
            for (var h = 0; h < heads; h++)
            {
                Rotate(q[t], h * qk, shape.RopePairs[h / (heads / kvHeads)], t, qk);
            }

            for (var j = 0; j < kvHeads; j++)
            {
                Rotate(k[t], j * qk, shape.RopePairs[j], t, qk);
            }
        }

        var context = new double[length][];
        for (var t = 0; t < length; t++)
        {
            context[t] = new double[heads * vd];
            for (var h = 0; h < heads; h++)
            {
                var j = h / (heads / kvHeads);
                var scores = new double[t + 1];
                for (var s = 0; s <= t; s++)
                {
                    var dot = 0.0;
                    for (var c = 0; c < qk; c++)
                    {
                        dot += q[t][(h * qk) + c] * k[s][(j * qk) + c];
                    }

                    scores[s] = dot * config.AttentionScale;
                }

                var max = scores.Max();
                var exps = scores.Select(score => Math.Exp(score - max)).ToArray();
                var total = exps.Sum();
                for (var s = 0; s <= t; s++)
                {
                    for (var c = 0; c < vd; c++)
                    {
                        context[t][(h * vd) + c] += exps[s] / total * v[s][(j * vd) + c];
                    }
                }
            }
        }

        return context.Select(row => MatVec(W(prefix + "self_attn.o_proj.weight"), d, heads * vd, row, null)).ToArray();
    }

    /// <summary>Turns pair m (dims m and m+qk/2 of the head at <paramref name="offset"/>) by position·θ of original pair pairs[m].</summary>
    private void Rotate(double[] vector, int offset, IReadOnlyList<int> pairs, int position, int qk)
    {
        for (var m = 0; m < qk / 2; m++)
        {
            var angle = position * inverseFrequencies[pairs[m]];
            var a = vector[offset + m];
            var b = vector[offset + m + (qk / 2)];
            vector[offset + m] = (a * Math.Cos(angle)) - (b * Math.Sin(angle));
            vector[offset + m + (qk / 2)] = (b * Math.Cos(angle)) + (a * Math.Sin(angle));
        }
    }

    private double[] Mlp(LayerShape shape, string prefix, double[] x)
    {
        int d = config.HiddenSize, inner = shape.IntermediateSize;
        var gate = MatVec(W(prefix + "mlp.gate_proj.weight"), inner, d, x, null);
        var up = MatVec(W(prefix + "mlp.up_proj.weight"), inner, d, x, null);
        var hidden = gate.Select((g, i) => g / (1 + Math.Exp(-g)) * up[i]).ToArray();
        return MatVec(W(prefix + "mlp.down_proj.weight"), d, inner, hidden, null);
    }

    private double[] RmsNorm(double[] x, float[] weight)
    {
        var meanSquare = x.Sum(value => value * value) / x.Length;
        var inverse = 1 / Math.Sqrt(meanSquare + config.RmsNormEps);
        return x.Select((value, i) => value * inverse * weight[i]).ToArray();
    }

    private static double[] MatVec(float[] matrix, int rows, int cols, double[] x, float[]? bias)
    {
        Assert.Equal(rows * cols, matrix.Length);
        var result = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var sum = bias is null ? 0.0 : bias[r];
            for (var c = 0; c < cols; c++)
            {
                sum += matrix[(r * cols) + c] * x[c];
            }

            result[r] = sum;
        }

        return result;
    }

    private static double[] Add(double[] a, double[] b) => a.Select((value, i) => value + b[i]).ToArray();

    private float[] W(string name) => weights[name].Data;
}
