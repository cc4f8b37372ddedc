using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>
/// One layer's keys <c>[B, H_kv, max, qk]</c> and values <c>[B, H_kv, max, v]</c>, preallocated so
/// that appending a token writes in place instead of reallocating the whole history.
/// Keys are stored after RoPE; heads stay at <c>H_kv</c> (never expanded to the query heads).
/// </summary>
internal sealed class LayerCache : IDisposable
{
    private readonly torch.Tensor keys;
    private readonly torch.Tensor values;

    /// <summary>Initializes a new instance with zeroed buffers on <paramref name="device"/>.</summary>
    public LayerCache(int batchSize, int keyValueHeads, int maxLength, LayerShape shape, torch.ScalarType dtype, torch.Device device)
    {
        using var scope = torch.NewDisposeScope();
        keys = torch.zeros([batchSize, keyValueHeads, maxLength, shape.QkHeadDim], dtype, device).DetachFromDisposeScope();
        values = torch.zeros([batchSize, keyValueHeads, maxLength, shape.VHeadDim], dtype, device).DetachFromDisposeScope();
    }

    /// <summary>Writes <paramref name="newKeys"/>/<paramref name="newValues"/> (<c>[B, H_kv, T, ·]</c>) at <paramref name="start"/> and returns views of positions <c>0 … start+T−1</c>.</summary>
    public (torch.Tensor Keys, torch.Tensor Values) Append(torch.Tensor newKeys, torch.Tensor newValues, long start)
    {
        var length = newKeys.shape[2];
        using (var scope = torch.NewDisposeScope())
        {
            keys.narrow(2, start, length).copy_(newKeys);
            values.narrow(2, start, length).copy_(newValues);
        }

        return (keys.narrow(2, 0, start + length), values.narrow(2, 0, start + length));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        keys.Dispose();
        values.Dispose();
    }
}
