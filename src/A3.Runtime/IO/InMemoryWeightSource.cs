using TorchSharp;

namespace A3.Runtime.IO;

/// <summary>
/// An <see cref="IWeightSource"/> over CPU float32 tensors already in memory, for checkpoints that
/// must be converted on import (llama2.c) and for tests. It owns the tensors and disposes them.
/// </summary>
internal sealed class InMemoryWeightSource : IWeightSource
{
    private readonly Dictionary<string, torch.Tensor> tensors = new(StringComparer.Ordinal);
    private readonly List<string> names = [];
    private readonly string? sourcePath;
    private bool disposed;

    /// <summary>Initializes a new instance that takes ownership of <paramref name="tensors"/>.</summary>
    /// <param name="tensors">The tensors by Hugging Face name, in the order <see cref="Names"/> lists them; each must be a float32 CPU tensor.</param>
    /// <param name="sourcePath">The file the tensors came from, named in errors.</param>
    /// <exception cref="ArgumentException">A name repeats or a tensor is not a float32 CPU tensor.</exception>
    public InMemoryWeightSource(IEnumerable<KeyValuePair<string, torch.Tensor>> tensors, string? sourcePath = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        this.sourcePath = sourcePath;
        foreach (var (name, tensor) in tensors)
        {
            if (tensor.dtype != torch.ScalarType.Float32 || tensor.device_type != DeviceType.CPU)
            {
                throw new ArgumentException($"tensor '{name}' must be a float32 CPU tensor, but is {tensor.dtype} on {tensor.device}.", nameof(tensors));
            }

            if (!this.tensors.TryAdd(name, tensor))
            {
                throw new ArgumentException($"tensor name '{name}' occurs twice.", nameof(tensors));
            }

            // The source owns the tensor from now on, so an enclosing dispose scope must not free it.
            tensor.DetachFromDisposeScope();
            names.Add(name);
        }
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Names => names;

    /// <inheritdoc />
    public bool Contains(string name) => tensors.ContainsKey(name);

    /// <inheritdoc />
    public TensorDescriptor Describe(string name) => new(name, TensorDType.Float32, Get(name).shape);

    /// <inheritdoc />
    public torch.Tensor Load(string name, torch.ScalarType dtype, torch.Device device) =>
        Get(name).to(dtype, device, copy: true);

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }

        tensors.Clear();
    }

    private torch.Tensor Get(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return tensors.TryGetValue(name, out var tensor)
            ? tensor
            : throw new A3InputException(A3ErrorCodes.InvalidModelConfig, $"the checkpoint has no tensor named '{name}'.", sourcePath);
    }
}
