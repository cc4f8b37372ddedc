using A3.Runtime.IO;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>One pre-norm decoder layer: <c>x + attn(norm(x))</c>, then <c>x + mlp(norm(x))</c>.</summary>
internal sealed class DecoderLayer : IDisposable
{
    private readonly RmsNorm inputNorm;
    private readonly Attention attention;
    private readonly RmsNorm postAttentionNorm;
    private readonly Mlp mlp;

    // The residual additions pass an explicit alpha of 1, created once and disposed with the layer:
    // TorchSharp's Tensor + Tensor converts that alpha to a Scalar internally and leaves it to the
    // finalizer, which can free it while the native add still reads it. The kernel is the same.
    private readonly Scalar one = 1.ToScalar();

    /// <summary>Initializes a new instance that owns its parts.</summary>
    public DecoderLayer(RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, Mlp mlp)
    {
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.mlp = mlp;
    }

    /// <summary>
    /// Loads layer <paramref name="index"/> alone from <paramref name="weights"/> (checked against the
    /// configuration's shapes), so that a compression pass can stream a checkpoint one layer at a time.
    /// </summary>
    /// <exception cref="A3InputException">The configuration is inconsistent, or a tensor is missing or has the wrong shape.</exception>
    public static DecoderLayer Load(ModelConfig config, int index, IWeightSource weights, torch.Device device, torch.ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, config.NumLayers);
        CheckComputeType(dtype);
        TorchNative.EnsureLoaded();
        ModelConfigChecks.Validate(config);
        var loader = new CheckedWeightLoader(weights, config, dtype, device);
        return Load(config, index, loader, RopeFrequencies.ComputeInverseFrequencies(config), device);
    }

    /// <summary>Loads layer <paramref name="index"/> through an existing loader; the model loader shares one across layers.</summary>
    public static DecoderLayer Load(ModelConfig config, int index, CheckedWeightLoader loader, double[] inverseFrequencies, torch.Device device)
    {
        var shape = config.Layers[index];
        var names = TensorNames.Layer(index);
        var owned = new List<IDisposable>();
        T Own<T>(T item)
            where T : IDisposable
        {
            owned.Add(item);
            return item;
        }

        LinearWeight Linear(ProjectionTensorNames projection, bool withBias) =>
            Own(loader.LoadLinear(projection, shape.RankOf(projection.Name) is not null, withBias));

        try
        {
            var attention = new AttentionWeights(
                Linear(names.Query, config.AttentionBias),
                Linear(names.Key, config.AttentionBias),
                Linear(names.Value, config.AttentionBias),
                Linear(names.Output, withBias: false));
            var mlp = new Mlp(Linear(names.Gate, withBias: false), Linear(names.Up, withBias: false), Linear(names.Down, withBias: false));
            var norms = new LayerNormWeights(Own(loader.Load(names.InputNorm)), Own(loader.Load(names.PostAttentionNorm)));
            return Assemble(config, shape, attention, mlp, norms, inverseFrequencies, device);
        }
        catch
        {
            // Parts and the tensors inside them may both be listed; disposing a tensor twice is harmless in TorchSharp.
            owned.ForEach(item => item.Dispose());
            throw;
        }
    }

    /// <summary>
    /// Builds a layer of shape <paramref name="shape"/> (typically a compressed one) from new weights.
    /// The tensors are copied to <paramref name="device"/> and <paramref name="dtype"/>; the caller keeps
    /// ownership of <paramref name="weights"/> and <paramref name="norms"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor's shape does not fit <paramref name="shape"/>, or the shape's RoPE pairs do not fit the configuration.</exception>
    public static DecoderLayer FromWeights(
        ModelConfig config, LayerShape shape, LayerWeights weights, LayerNormWeights norms, torch.Device device, torch.ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(norms);
        CheckComputeType(dtype);
        TorchNative.EnsureLoaded();
        CheckShapes(config, shape, weights, norms);

        var owned = new List<torch.Tensor>();
        torch.Tensor? Copy(torch.Tensor? tensor)
        {
            if (tensor is null)
            {
                return null;
            }

            // A copy, so that the layer and the caller each dispose their own tensors.
            var copy = tensor.to(dtype, device, copy: true).DetachFromDisposeScope();
            owned.Add(copy);
            return copy;
        }

        try
        {
            var copied = new LayerWeights(
                Copy(weights.Query)!,
                Copy(weights.Key)!,
                Copy(weights.Value)!,
                Copy(weights.Output)!,
                Copy(weights.QueryBias),
                Copy(weights.KeyBias),
                Copy(weights.ValueBias),
                Copy(weights.Gate)!,
                Copy(weights.Up)!,
                Copy(weights.Down)!);
            var copiedNorms = new LayerNormWeights(Copy(norms.Input)!, Copy(norms.PostAttention)!);
            var attention = new AttentionWeights(
                LinearWeight.Dense(copied.Query, copied.QueryBias),
                LinearWeight.Dense(copied.Key, copied.KeyBias),
                LinearWeight.Dense(copied.Value, copied.ValueBias),
                LinearWeight.Dense(copied.Output));
            var mlp = new Mlp(LinearWeight.Dense(copied.Gate), LinearWeight.Dense(copied.Up), LinearWeight.Dense(copied.Down));
            return Assemble(config, shape, attention, mlp, copiedNorms, RopeFrequencies.ComputeInverseFrequencies(config), device);
        }
        catch
        {
            owned.ForEach(tensor => tensor.Dispose());
            throw;
        }
    }

    /// <summary>Applies the layer to the residual stream <paramref name="x"/> (<c>[B, T, d]</c>) at positions starting at <paramref name="start"/>.</summary>
    /// <param name="x">The residual stream entering the layer.</param>
    /// <param name="start">The position of the first token.</param>
    /// <param name="cache">This layer's key/value cache, when decoding incrementally.</param>
    /// <param name="observer">When given, sees the inner activations (calibration statistics); the result is the same either way.</param>
    public torch.Tensor Forward(torch.Tensor x, long start, LayerCache? cache, ILayerObserver? observer = null)
    {
        using var scope = torch.NewDisposeScope();
        var attentionInput = inputNorm.Forward(x);
        observer?.OnAttentionInput(attentionInput);
        var afterAttention = x.add(attention.Forward(attentionInput, start, cache, observer), one);
        var mlpInput = postAttentionNorm.Forward(afterAttention);
        observer?.OnMlpInput(mlpInput);
        var output = afterAttention.add(mlp.Forward(mlpInput, observer), one);
        return output.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        inputNorm.Dispose();
        attention.Dispose();
        postAttentionNorm.Dispose();
        mlp.Dispose();
        one.Dispose();
    }

    private static DecoderLayer Assemble(
        ModelConfig config, LayerShape shape, AttentionWeights attention, Mlp mlp, LayerNormWeights norms, double[] inverseFrequencies, torch.Device device)
    {
        // The parts take over the tensors of the weights and norms, so those containers are not disposed here.
        var rope = new RotaryEmbedding(inverseFrequencies, shape, device);
        return new DecoderLayer(
            new RmsNorm(norms.Input, config.RmsNormEps),
            new Attention(config, shape, attention, rope),
            new RmsNorm(norms.PostAttention, config.RmsNormEps),
            mlp);
    }

    private static void CheckComputeType(torch.ScalarType dtype)
    {
        if (dtype is not (torch.ScalarType.Float32 or torch.ScalarType.BFloat16))
        {
            throw new ArgumentException($"The compute dtype must be float32 or bfloat16, not {dtype}.", nameof(dtype));
        }
    }

    private static void CheckShapes(ModelConfig config, LayerShape shape, LayerWeights weights, LayerNormWeights norms)
    {
        if (shape.RopePairs.Count != config.NumKeyValueHeads
            || shape.QkHeadDim % 2 != 0
            || shape.RopePairs.Any(pairs => pairs.Count != shape.QkHeadDim / 2 || pairs.Any(k => k < 0 || k >= config.RopePairCount)))
        {
            throw new ArgumentException(
                $"The layer shape must keep qk/2 = {shape.QkHeadDim / 2} RoPE pairs below {config.RopePairCount} for each of the {config.NumKeyValueHeads} key/value heads.",
                nameof(shape));
        }

        if (config.AttentionBias != (weights.QueryBias is not null) || config.AttentionBias != (weights.KeyBias is not null) || config.AttentionBias != (weights.ValueBias is not null))
        {
            throw new ArgumentException($"The configuration {(config.AttentionBias ? "has" : "has no")} attention biases; the weights must match.", nameof(weights));
        }

        // The shapes come from the table the loader and the writer use, for a one-layer model of this shape.
        var expected = ModelTensorShapes.Expected(config with { NumLayers = 1, Layers = [shape] });
        var names = TensorNames.Layer(0);
        var tensors = new (string Name, torch.Tensor? Tensor)[]
        {
            (names.Query.Weight, weights.Query),
            (names.Key.Weight, weights.Key),
            (names.Value.Weight, weights.Value),
            (names.Output.Weight, weights.Output),
            (names.Query.Bias, weights.QueryBias),
            (names.Key.Bias, weights.KeyBias),
            (names.Value.Bias, weights.ValueBias),
            (names.Gate.Weight, weights.Gate),
            (names.Up.Weight, weights.Up),
            (names.Down.Weight, weights.Down),
            (names.InputNorm, norms.Input),
            (names.PostAttentionNorm, norms.PostAttention),
        };
        foreach (var (name, tensor) in tensors)
        {
            if (tensor is not null)
            {
                // The message names the tensor within the layer: layer 0 is only the one-layer model's index.
                Check(names.WithinLayer(name), tensor, expected[name]);
            }
        }
    }

    private static void Check(string name, torch.Tensor tensor, long[] expected)
    {
        if (!tensor.shape.SequenceEqual(expected))
        {
            throw new ArgumentException($"{name} has shape [{string.Join(", ", tensor.shape)}], but the layer shape needs [{string.Join(", ", expected)}].", nameof(tensor));
        }
    }
}
