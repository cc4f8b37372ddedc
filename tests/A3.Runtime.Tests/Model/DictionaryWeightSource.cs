using A3.Runtime.IO;
using TorchSharp;

namespace A3.Runtime.Tests.Model;

/// <summary>A test-only weight source over float32 host tensors built from <see cref="RandomWeights"/>.</summary>
internal sealed class DictionaryWeightSource : IWeightSource
{
    private readonly Dictionary<string, torch.Tensor> tensors = new(StringComparer.Ordinal);

    public DictionaryWeightSource(IReadOnlyDictionary<string, (long[] Shape, float[] Data)> weights)
    {
        foreach (var (name, (shape, data)) in weights)
        {
            tensors[name] = torch.tensor(data, shape, torch.float32).DetachFromDisposeScope();
        }
    }

    /// <summary>Takes <paramref name="owned"/>'s tensors as they are; disposing the source disposes them.</summary>
    public DictionaryWeightSource(IEnumerable<KeyValuePair<string, torch.Tensor>> owned)
    {
        foreach (var (name, tensor) in owned)
        {
            tensors[name] = tensor.DetachFromDisposeScope();
        }
    }

    public IReadOnlyCollection<string> Names => tensors.Keys;

    public bool Contains(string name) => tensors.ContainsKey(name);

    public TensorDescriptor Describe(string name) =>
        tensors.TryGetValue(name, out var tensor)
            ? new TensorDescriptor(name, TensorDType.Float32, tensor.shape)
            : throw new A3InputException(A3ErrorCodes.InvalidModelConfig, $"no tensor '{name}'");

    public torch.Tensor Load(string name, torch.ScalarType dtype, torch.Device device)
    {
        if (!tensors.TryGetValue(name, out var tensor))
        {
            throw new A3InputException(A3ErrorCodes.InvalidModelConfig, $"no tensor '{name}'");
        }

        // Cloned so the caller owns a tensor independent of this source's copy.
        return tensor.to(dtype, device).clone();
    }

    public void Dispose()
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
