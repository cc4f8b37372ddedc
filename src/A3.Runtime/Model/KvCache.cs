using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>
/// The key/value cache of a <see cref="DecoderModel"/> for incremental decoding: per layer
/// keys <c>[B, H_kv, T, qk]</c> and values <c>[B, H_kv, T, v]</c> at that layer's (possibly
/// compressed) head dims. Create it with <see cref="DecoderModel.CreateCache"/>; every
/// <see cref="DecoderModel.Forward"/> that receives it appends its tokens and continues the
/// positions from <see cref="Length"/>. All sequences of the batch share one length (no padding).
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly LayerCache[] layers;
    private bool disposed;

    internal KvCache(ModelConfig config, int batchSize, int maxLength, torch.ScalarType dtype, torch.Device device)
    {
        BatchSize = batchSize;
        MaxLength = maxLength;
        layers = new LayerCache[config.NumLayers];
        try
        {
            for (var i = 0; i < layers.Length; i++)
            {
                layers[i] = new LayerCache(batchSize, config.NumKeyValueHeads, maxLength, config.Layers[i], dtype, device);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Gets the batch size the cache was created for.</summary>
    public int BatchSize { get; }

    /// <summary>Gets the largest number of positions the cache can hold.</summary>
    public int MaxLength { get; }

    /// <summary>Gets the number of positions cached so far; the next token's position.</summary>
    public int Length { get; private set; }

    /// <summary>Forgets all cached positions so the cache can serve a new sequence; the buffers are kept.</summary>
    public void Reset() => Length = 0;

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var layer in layers)
        {
            layer?.Dispose();
        }
    }

    /// <summary>Gets layer <paramref name="index"/>'s buffers.</summary>
    internal LayerCache Layer(int index)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return layers[index];
    }

    /// <summary>Checks that <paramref name="batchSize"/> rows of <paramref name="count"/> more tokens fit.</summary>
    internal void EnsureCanAppend(long batchSize, long count)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (batchSize != BatchSize)
        {
            throw new ArgumentException($"The cache was created for batch size {BatchSize}, but the input has batch size {batchSize}.");
        }

        if (Length + count > MaxLength)
        {
            throw new ArgumentException($"The cache holds at most {MaxLength} positions; {Length} are cached and {count} more were given.");
        }
    }

    /// <summary>Records that <paramref name="count"/> positions were appended to every layer.</summary>
    internal void Advance(int count) => Length += count;
}
