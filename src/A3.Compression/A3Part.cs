using A3.Compression.Budget;
using TorchSharp;

namespace A3.Compression;

/// <summary>
/// One A3 component of one layer solved at one size: its tensors (Hugging Face names, float32 on the CPU), its
/// relative error and what else the layer's shape needs. Owns its tensors.
/// </summary>
internal sealed class A3Part : IDisposable
{
    private bool disposed;

    public A3Part(A3Component component, int kept, IReadOnlyDictionary<string, torch.Tensor> tensors, double relativeError, IReadOnlyList<IReadOnlyList<int>>? ropePairs = null, string? warning = null)
    {
        Component = component;
        Kept = kept;
        Tensors = tensors;
        RelativeError = relativeError;
        RopePairs = ropePairs;
        Warning = warning;
    }

    /// <summary>Gets the component.</summary>
    public A3Component Component { get; }

    /// <summary>Gets the kept size in the component's own unit (RoPE pairs, value dims, neurons).</summary>
    public int Kept { get; }

    /// <summary>Gets the component's tensors by full name.</summary>
    public IReadOnlyDictionary<string, torch.Tensor> Tensors { get; }

    /// <summary>Gets the functional error relative to the component's output energy on the calibration data.</summary>
    public double RelativeError { get; }

    /// <summary>Gets, for the query/key component, the kept RoPE pair indices per key/value head.</summary>
    public IReadOnlyList<IReadOnlyList<int>>? RopePairs { get; }

    /// <summary>Gets a numerical warning of the solver, when it had one.</summary>
    public string? Warning { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var tensor in Tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
