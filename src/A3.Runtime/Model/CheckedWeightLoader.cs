using A3.Runtime.IO;
using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>
/// Loads named weights after checking that each exists and has the shape the configuration
/// implies (<see cref="ModelTensorShapes"/>, the FORMAT.md table shared with the writer).
/// </summary>
internal sealed class CheckedWeightLoader
{
    private readonly IWeightSource source;
    private readonly IReadOnlyDictionary<string, long[]> expectedShapes;
    private readonly torch.ScalarType dtype;
    private readonly torch.Device device;

    /// <summary>Initializes a new instance.</summary>
    public CheckedWeightLoader(IWeightSource source, ModelConfig config, torch.ScalarType dtype, torch.Device device)
    {
        this.source = source;
        expectedShapes = ModelTensorShapes.Expected(config);
        this.dtype = dtype;
        this.device = device;
    }

    /// <summary>Loads tensor <paramref name="name"/>, detached from any dispose scope so the model owns it.</summary>
    /// <exception cref="A3InputException">The tensor is missing or its shape differs from the configuration's.</exception>
    public torch.Tensor Load(string name)
    {
        var expected = expectedShapes[name];
        if (!source.Contains(name))
        {
            throw new A3InputException(
                A3ErrorCodes.InvalidModelConfig,
                $"The checkpoint has no tensor '{name}'; the configuration expects shape {Format(expected)}.");
        }

        var declared = source.Describe(name).Shape;
        Check(name, expected, declared);
        var tensor = source.Load(name, dtype, device).DetachFromDisposeScope();
        try
        {
            Check(name, expected, tensor.shape);
        }
        catch
        {
            tensor.Dispose();
            throw;
        }

        return tensor;
    }

    /// <summary>
    /// Loads the projection named by <paramref name="names"/> (for example <c>TensorNames.Layer(3).Query</c>):
    /// <c>weight_a</c> and <c>weight_b</c> when the configuration factorises it, otherwise <c>weight</c>, plus <c>bias</c> when asked.
    /// </summary>
    /// <exception cref="A3InputException">A tensor is missing or its shape differs from the configuration's.</exception>
    public LinearWeight LoadLinear(ProjectionTensorNames names, bool factorized, bool withBias)
    {
        var loaded = new List<torch.Tensor>(3);
        try
        {
            var bias = withBias ? Add(loaded, Load(names.Bias)) : null;
            if (!factorized)
            {
                return LinearWeight.Dense(Add(loaded, Load(names.Weight)), bias);
            }

            var a = Add(loaded, Load(names.WeightA));
            var b = Add(loaded, Load(names.WeightB));
            return LinearWeight.Factorized(a, b, bias);
        }
        catch
        {
            foreach (var tensor in loaded)
            {
                tensor.Dispose();
            }

            throw;
        }
    }

    private static torch.Tensor Add(List<torch.Tensor> loaded, torch.Tensor tensor)
    {
        loaded.Add(tensor);
        return tensor;
    }

    private static void Check(string name, long[] expected, IReadOnlyList<long> actual)
    {
        if (!expected.SequenceEqual(actual))
        {
            throw new A3InputException(
                A3ErrorCodes.InvalidModelConfig,
                $"Tensor '{name}' has shape {Format(actual)}, but the configuration expects {Format(expected)}.");
        }
    }

    private static string Format(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
