using TorchSharp;

namespace A3.Runtime.IO;

/// <summary>
/// Named weight tensors of a checkpoint with Hugging Face names
/// (<c>model.layers.0.self_attn.q_proj.weight</c>, …), materialised on demand so that large
/// checkpoints stay memory-mapped until a layer is needed.
/// </summary>
public interface IWeightSource : IDisposable
{
    /// <summary>Gets the names of all tensors, in a stable order.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>Returns whether a tensor with this name exists.</summary>
    bool Contains(string name);

    /// <summary>Describes a tensor without reading its data.</summary>
    /// <exception cref="A3InputException">The tensor does not exist.</exception>
    TensorDescriptor Describe(string name);

    /// <summary>Reads a tensor into a new TorchSharp tensor of the given dtype on the given device.</summary>
    /// <exception cref="A3InputException">The tensor does not exist or its data is malformed.</exception>
    torch.Tensor Load(string name, torch.ScalarType dtype, torch.Device device);
}
