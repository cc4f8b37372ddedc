using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace A3.OnnxRuntime;

/// <summary>
/// The key/value cache between decoding steps. A step's <c>present.*</c> outputs become the next step's
/// <c>past_key_values.*</c> inputs as the <see cref="OrtValue"/>s ONNX Runtime returned, so the growing cache is
/// never copied into managed memory; the graph itself extends it by the new positions each step.
/// </summary>
internal sealed class OnnxKvCache : IDisposable
{
    private readonly OrtValue[] empty;
    private IDisposableReadOnlyCollection<OrtValue>? lastOutputs;
    private IReadOnlyList<OrtValue> values;

    private OnnxKvCache(OrtValue[] empty)
    {
        this.empty = empty;
        values = empty;
    }

    /// <summary>Gets the number of cached positions.</summary>
    public int Length { get; private set; }

    /// <summary>Gets the cached keys and values to feed as inputs: layer 0's key, layer 0's value, layer 1's key, ...</summary>
    public IReadOnlyList<OrtValue> Values => values;

    /// <summary>Creates an empty cache (zero cached positions) for a batch of one.</summary>
    /// <param name="layers">The cache shape of each layer.</param>
    /// <returns>The cache.</returns>
    public static OnnxKvCache Empty(IReadOnlyList<LayerCacheShape> layers)
    {
        var empty = new OrtValue[layers.Count * 2];
        for (int layer = 0; layer < layers.Count; layer++)
        {
            var shape = layers[layer];
            empty[2 * layer] = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [1, shape.KeyValueHeads, 0, shape.KeyHeadDim]);
            empty[(2 * layer) + 1] = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [1, shape.KeyValueHeads, 0, shape.ValueHeadDim]);
        }

        return new OnnxKvCache(empty);
    }

    /// <summary>Takes a step's outputs as the cache, releasing the previous step's.</summary>
    /// <param name="outputs">The step's outputs: <c>logits</c> first, then the presents in <see cref="Values"/> order; owned by the cache from now on.</param>
    /// <param name="addedPositions">The number of positions the step added.</param>
    public void Advance(IDisposableReadOnlyCollection<OrtValue> outputs, int addedPositions)
    {
        lastOutputs?.Dispose();
        lastOutputs = outputs;
        values = outputs.Skip(1).ToArray();
        Length += addedPositions;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lastOutputs?.Dispose();
        lastOutputs = null;
        foreach (var value in empty)
        {
            value.Dispose();
        }
    }
}
