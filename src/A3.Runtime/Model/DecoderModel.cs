using A3.Runtime.Evaluation;
using A3.Runtime.IO;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>
/// A Llama-family decoder (Llama, Mistral, Qwen2) in TorchSharp whose layers may carry A3-compressed
/// shapes: per-layer query/key and value head dims, per-key/value-head kept RoPE pairs and MLP sizes.
/// All weights live on the device chosen by the caller; the model owns them until disposed.
/// </summary>
public sealed class DecoderModel : ICausalLanguageModel, IDisposable
{
    private readonly torch.Tensor embedding;
    private readonly torch.Tensor? separateHead;
    private readonly DecoderLayer[] layers;
    private readonly RmsNorm finalNorm;
    private bool disposed;

    private DecoderModel(
        ModelConfig config, torch.Device device, torch.ScalarType dtype, torch.Tensor embedding, torch.Tensor? separateHead, DecoderLayer[] layers, RmsNorm finalNorm)
    {
        Config = config;
        Device = device;
        DType = dtype;
        this.embedding = embedding;
        this.separateHead = separateHead;
        this.layers = layers;
        this.finalNorm = finalNorm;
    }

    /// <summary>Gets the configuration the model was loaded with.</summary>
    public ModelConfig Config { get; }

    /// <summary>Gets the device holding the weights; inputs are moved there.</summary>
    public torch.Device Device { get; }

    /// <inheritdoc />
    public int MaxSequenceLength => Config.MaxPositionEmbeddings;

    /// <summary>Gets the compute dtype of weights and activations (norms and softmax still run in float32).</summary>
    public torch.ScalarType DType { get; }

    /// <summary>Loads and validates a model from Hugging Face-named weights; factorised projections (<c>weight_a</c>/<c>weight_b</c>) are loaded as two factors.</summary>
    /// <param name="config">The configuration, including per-layer (possibly compressed) shapes.</param>
    /// <param name="weights">The weights, named as in Hugging Face <c>LlamaForCausalLM</c>; not disposed by this method.</param>
    /// <param name="device">The device to compute on (CPU or CUDA).</param>
    /// <param name="dtype">The compute dtype: <c>float32</c> or <c>bfloat16</c>.</param>
    /// <exception cref="A3InputException">The configuration is inconsistent, or a tensor is missing or has the wrong shape (the message names it).</exception>
    public static DecoderModel Load(ModelConfig config, IWeightSource weights, torch.Device device, torch.ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(device);
        if (dtype is not (torch.ScalarType.Float32 or torch.ScalarType.BFloat16))
        {
            throw new ArgumentException($"The compute dtype must be float32 or bfloat16, not {dtype}.", nameof(dtype));
        }

        TorchNative.EnsureLoaded();
        ModelConfigChecks.Validate(config);
        var inverseFrequencies = RopeFrequencies.ComputeInverseFrequencies(config);
        var loader = new CheckedWeightLoader(weights, config, dtype, device);
        var owned = new List<IDisposable>();
        try
        {
            var embedding = Own(owned, loader.Load(TensorNames.Embeddings));
            var layers = new DecoderLayer[config.NumLayers];
            for (var i = 0; i < layers.Length; i++)
            {
                layers[i] = Own(owned, DecoderLayer.Load(config, i, loader, inverseFrequencies, device));
            }

            var finalNorm = Own(owned, new RmsNorm(loader.Load(TensorNames.FinalNorm), config.RmsNormEps));
            var head = config.TieWordEmbeddings ? null : Own(owned, loader.Load(TensorNames.LmHead));
            return new DecoderModel(config, device, dtype, embedding, head, layers, finalNorm);
        }
        catch
        {
            foreach (var item in owned)
            {
                item.Dispose();
            }

            throw;
        }
    }

    /// <inheritdoc />
    public torch.Tensor ComputeLogits(torch.Tensor inputIds) => Forward(inputIds);

    /// <summary>Creates an empty key/value cache for this model on its device and dtype.</summary>
    /// <param name="batchSize">The batch size of the inputs that will use the cache.</param>
    /// <param name="maxLength">The most positions the cache will hold; its buffers are allocated now.</param>
    public KvCache CreateCache(int batchSize, int maxLength)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        return new KvCache(Config, batchSize, maxLength, DType, Device);
    }

    /// <summary>Runs the decoder and returns next-token logits at every position.</summary>
    /// <param name="inputIds">Token ids, int64 <c>[B, T]</c>; moved to the model's device when elsewhere.</param>
    /// <param name="cache">
    /// When given, the tokens are positions <c>cache.Length … cache.Length+T−1</c>, attend to the cached
    /// positions as well, and are appended to the cache. When absent, positions start at 0.
    /// </param>
    /// <returns>Logits <c>[B, T, V]</c> in float32 whatever the compute dtype (bfloat16 logits are widened after the LM head).</returns>
    public torch.Tensor Forward(torch.Tensor inputIds, KvCache? cache = null)
    {
        using var scope = torch.NewDisposeScope();
        var hidden = Decode(inputIds, cache);
        return Head(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Runs the decoder and returns the logits of the last position only: what generation needs after a prompt or a
    /// new token. The LM head runs on one position per sequence instead of <c>T</c>, which at a 128K vocabulary and a
    /// long prompt is most of a prefill's work.
    /// </summary>
    /// <param name="inputIds">Token ids, int64 <c>[B, T]</c> with <c>T ≥ 1</c>; moved to the model's device when elsewhere.</param>
    /// <param name="cache">As for <see cref="Forward"/>: when given, the tokens follow the cached positions and are appended.</param>
    /// <returns>Logits <c>[B, V]</c> in float32, equal to <c>Forward(inputIds, cache)[:, -1]</c>.</returns>
    public torch.Tensor NextTokenLogits(torch.Tensor inputIds, KvCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        if (inputIds.dim() == 2 && inputIds.shape[1] == 0)
        {
            throw new ArgumentException("inputIds must hold at least one position.", nameof(inputIds));
        }

        using var scope = torch.NewDisposeScope();
        var hidden = Decode(inputIds, cache);
        return Head(hidden[.., -1]).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        embedding.Dispose();
        separateHead?.Dispose();
        foreach (var layer in layers)
        {
            layer.Dispose();
        }

        finalNorm.Dispose();
    }

    /// <summary>Runs the embedding and the layers, advancing <paramref name="cache"/>; returns the last layer's hidden states in the current dispose scope.</summary>
    private torch.Tensor Decode(torch.Tensor inputIds, KvCache? cache)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(inputIds);
        if (inputIds.dim() != 2 || inputIds.dtype != torch.int64)
        {
            throw new ArgumentException($"inputIds must be an int64 [B, T] tensor; got {inputIds.dtype} with shape [{string.Join(", ", inputIds.shape)}].", nameof(inputIds));
        }

        var batch = inputIds.shape[0];
        var length = inputIds.shape[1];
        cache?.EnsureCanAppend(batch, length);
        var start = cache?.Length ?? 0;
        var ids = inputIds.to(Device);
        CheckTokenRange(ids);
        var hidden = TokenEmbedding.Lookup(embedding, ids);
        for (var i = 0; i < layers.Length; i++)
        {
            hidden = layers[i].Forward(hidden, start, cache?.Layer(i));
        }

        cache?.Advance((int)length);
        return hidden;
    }

    /// <summary>The final norm and the LM head (tied or separate), widened to float32.</summary>
    private torch.Tensor Head(torch.Tensor hidden) =>
        torch.nn.functional.linear(finalNorm.Forward(hidden), separateHead ?? embedding).to(torch.float32);

    private static T Own<T>(List<IDisposable> owned, T item)
        where T : IDisposable
    {
        owned.Add(item);
        return item;
    }

    private void CheckTokenRange(torch.Tensor ids)
    {
        if (ids.numel() == 0)
        {
            return;
        }

        // An out-of-range id is a silent wrong answer on CPU and a fatal device assert on CUDA; one sync per call is cheap beside the forward.
        var min = ids.min().item<long>();
        var max = ids.max().item<long>();
        if (min < 0 || max >= Config.VocabSize)
        {
            throw new ArgumentException($"Token ids must lie in [0, {Config.VocabSize}); got values from {min} to {max}.", "inputIds");
        }
    }
}
