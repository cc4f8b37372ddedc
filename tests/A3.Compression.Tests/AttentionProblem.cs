using TorchSharp;
using static TorchSharp.torch;

namespace A3.Compression.Tests;

/// <summary>
/// A seeded random attention layer with correlated calibration inputs, whose statistics are
/// computed exactly from the data, so solver shortcuts can be checked against full objectives.
/// Tensors live in the caller's dispose scope.
/// </summary>
internal sealed class AttentionProblem
{
    public AttentionProblem(int seed, int heads, int keyValueHeads, int headDim, int model = 24, int tokens = 400, bool bias = false)
    {
        Random = new Random(seed);
        Heads = heads;
        KeyValueHeads = keyValueHeads;
        HeadDim = headDim;
        Model = model;
        Tokens = tokens;

        // Mixing i.i.d. rows through a random matrix gives an anisotropic input covariance, like
        // real hidden states, so whitening matters. The alpha is an explicit, disposed Scalar:
        // Tensor.add(Tensor) would convert its default 1 implicitly and leave it to the finalizer.
        using var one = 1.ToScalar();
        Inputs = Gaussian(tokens, model).matmul(Gaussian(model, model)).add(Gaussian(1, model), one);
        Query = Gaussian(heads * headDim, model);
        Key = Gaussian(keyValueHeads * headDim, model);
        Value = Gaussian(keyValueHeads * headDim, model);
        Output = Gaussian(model, heads * headDim);
        QueryBias = bias ? Gaussian(heads * headDim) : null;
        KeyBias = bias ? Gaussian(keyValueHeads * headDim) : null;
        ValueBias = bias ? Gaussian(keyValueHeads * headDim) : null;
        Attention = Enumerable.Range(0, heads).Select(_ => RowStochastic(tokens)).ToArray();
    }

    public Random Random { get; }

    public int Heads { get; }

    public int KeyValueHeads { get; }

    public int GroupSize => Heads / KeyValueHeads;

    public int HeadDim { get; }

    public int Model { get; }

    public int Tokens { get; }

    public Tensor Inputs { get; }

    public Tensor Query { get; }

    public Tensor Key { get; }

    public Tensor Value { get; }

    public Tensor Output { get; }

    public Tensor? QueryBias { get; }

    public Tensor? KeyBias { get; }

    public Tensor? ValueBias { get; }

    public Tensor[] Attention { get; }

    public Tensor Gaussian(params long[] shape)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            var u1 = 1.0 - Random.NextDouble();
            var u2 = Random.NextDouble();
            values[i] = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        return tensor(values, shape, ScalarType.Float64);
    }

    /// <summary>Projects the inputs with <c>[out, in]</c> rows and an optional bias: <c>X Wᵀ + b</c>.</summary>
    public Tensor Project(Tensor weight, Tensor? bias)
    {
        var projected = Inputs.matmul(weight.transpose(0, 1));
        if (bias is null)
        {
            return projected;
        }

        using var one = 1.ToScalar();
        return projected.add(bias, one);
    }

    /// <summary>Per-head second moments <c>[heads, dh, dh]</c> of projected vectors.</summary>
    public Tensor HeadStatistics(Tensor projected, int heads, int headDim) =>
        stack(Enumerable.Range(0, heads).Select(h =>
        {
            var block = projected.narrow(1, (long)h * headDim, headDim);
            return Scale(block.transpose(0, 1).matmul(block), 1.0 / Tokens);
        }).ToArray());

    public Tensor QueryStatistics() => HeadStatistics(Project(Query, QueryBias), Heads, HeadDim);

    public Tensor KeyStatistics() => HeadStatistics(Project(Key, KeyBias), KeyValueHeads, HeadDim);

    /// <summary>Head h's attention output <c>z_h = A_h (X W_vᵀ + b_v)</c> for a value projection with <paramref name="valueHeadDim"/> and head map.</summary>
    public Tensor HeadAttentionOutput(int head, Tensor value, Tensor? valueBias, int valueHead, int valueHeadDim)
    {
        var values = Project(value, valueBias).narrow(1, (long)valueHead * valueHeadDim, valueHeadDim);
        return Attention[head].matmul(values);
    }

    /// <summary>The o_proj input statistics <c>[H·dh, H·dh]</c> of the original layer.</summary>
    public Tensor AttentionOutputStatistics()
    {
        var z = cat(Enumerable.Range(0, Heads).Select(h => HeadAttentionOutput(h, Value, ValueBias, h / GroupSize, HeadDim)).ToArray(), 1);
        return Scale(z.transpose(0, 1).matmul(z), 1.0 / Tokens);
    }

    /// <summary>
    /// Per head, the layer output contribution <c>z_h W_o^h</c> (N×d) for given v/o weights;
    /// <paramref name="valueHeadOf"/> maps a query head to its value head.
    /// </summary>
    public Tensor[] HeadOutputs(Tensor value, Tensor? valueBias, Tensor output, int valueHeadDim, Func<int, int> valueHeadOf) =>
        Enumerable.Range(0, Heads).Select(h =>
        {
            var z = HeadAttentionOutput(h, value, valueBias, valueHeadOf(h), valueHeadDim);
            return z.matmul(output.narrow(1, (long)h * valueHeadDim, valueHeadDim).transpose(0, 1));
        }).ToArray();

    public static Tensor Scale(Tensor tensor, double factor)
    {
        using var scalar = factor.ToScalar();
        return tensor.mul(scalar);
    }

    /// <summary>Returns <c>‖M‖_F²</c>.</summary>
    public static double SquaredNorm(Tensor matrix)
    {
        // pow with an explicit, disposed exponent: square() converts its 2 implicitly and leaves it to the finalizer.
        using var two = 2.ToScalar();
        return matrix.pow(two).sum().item<double>();
    }

    private Tensor RowStochastic(int n)
    {
        return Scale(Gaussian(n, n), 2.0).softmax(1);
    }
}
