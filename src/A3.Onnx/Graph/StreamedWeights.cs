using A3.Runtime.Model;
using TorchSharp;

namespace A3.Onnx.Graph;

/// <summary>
/// Reads checkpoint tensors one at a time, checked against the configuration's shapes, as float32 on the CPU, and hands
/// each to the initializers before the next is read: an export never holds more than one weight in TorchSharp memory.
/// </summary>
internal sealed class StreamedWeights(CheckedWeightLoader loader, WeightInitializers initializers)
{
    private readonly HashSet<string> added = new(StringComparer.Ordinal);

    /// <summary>Adds checkpoint tensor <paramref name="name"/> as an initializer of the same name (once, however often it is asked for) and returns the name.</summary>
    /// <exception cref="A3InputException">The tensor is missing or misshapen.</exception>
    public string Add(string name)
    {
        if (!added.Add(name))
        {
            return name;
        }

        using var scope = torch.NewDisposeScope();
        using var tensor = loader.Load(name);
        using var contiguous = tensor.contiguous();
        initializers.Add(name, contiguous.shape, contiguous.bytes);
        return name;
    }
}
