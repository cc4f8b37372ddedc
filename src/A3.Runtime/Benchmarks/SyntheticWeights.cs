using System.Text;
using TorchSharp;

namespace A3.Runtime.Benchmarks;

/// <summary>
/// Seeded weights shaped like a freshly initialised model: every tensor is drawn from its own generator, seeded from
/// the run's seed and the tensor's name, so a tensor's values do not depend on which other tensors exist or on the
/// order they are made in.
/// </summary>
/// <remarks>
/// Scales follow the Hugging Face Llama initialisation (<c>initializer_range</c> 0.02): normal with standard deviation
/// 0.02 for embeddings, projections and biases, norms at 1. Activations then stay of order one through any number of
/// layers, so forward passes are finite in bfloat16 and float32.
/// </remarks>
internal static class SyntheticWeights
{
    /// <summary>The standard deviation of Hugging Face's <c>initializer_range</c> for Llama-family models.</summary>
    public const double InitializerRange = 0.02;

    /// <summary>Returns the float32 tensor <paramref name="name"/> of <paramref name="shape"/> for <paramref name="seed"/>.</summary>
    public static torch.Tensor Generate(string name, long[] shape, long seed)
    {
        if (name.EndsWith("norm.weight", StringComparison.Ordinal))
        {
            return torch.ones(shape, torch.ScalarType.Float32);
        }

        using var generator = new torch.Generator(TensorSeed(name, seed));
        using var scope = torch.NewDisposeScope();
        var values = torch.randn(shape, torch.ScalarType.Float32, generator: generator).mul_(InitializerRange);
        return values.MoveToOuterDisposeScope();
    }

    /// <summary>Mixes the run's seed with a stable hash of the name (FNV-1a, then SplitMix64's finaliser).</summary>
    public static ulong TensorSeed(string name, long seed)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        var z = hash ^ unchecked((ulong)seed) ^ 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
