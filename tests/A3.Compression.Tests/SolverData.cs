using TorchSharp;

namespace A3.Compression.Tests;

/// <summary>Seeded float64 data for the solver tests, built on the host so every run sees the same numbers.</summary>
internal static class SolverData
{
    /// <summary>A <c>[rows, cols]</c> matrix of independent standard normals.</summary>
    public static torch.Tensor Gaussian(Random random, long rows, long cols)
    {
        var data = new double[rows * cols];
        for (var i = 0; i < data.Length; i++)
        {
            // Box–Muller; 1 − U keeps the logarithm finite.
            data[i] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        }

        return torch.tensor(data, [rows, cols], torch.float64);
    }

    /// <summary>Rows are calibration tokens with correlated features: <c>Z·M</c> with a mixing matrix whose column scales decay.</summary>
    public static torch.Tensor CorrelatedInputs(Random random, long tokens, long features)
    {
        using var z = Gaussian(random, tokens, features);
        using var mixing = Gaussian(random, features, features);
        var scales = Enumerable.Range(0, (int)features).Select(i => Math.Pow(0.85, i)).ToArray();
        using var scale = torch.tensor(scales, torch.float64);
        using var mixed = mixing * scale.unsqueeze(0);
        return z.matmul(mixed);
    }

    /// <summary><c>E[x xᵀ]</c> of data rows.</summary>
    public static torch.Tensor Autocorrelation(torch.Tensor rows)
    {
        using var gram = rows.t().matmul(rows);
        using var count = ((double)rows.shape[0]).ToScalar();
        return gram.div(count);
    }

    /// <summary><c>||t||_F²</c>.</summary>
    public static double SquaredNorm(torch.Tensor t)
    {
        // pow with an explicit, disposed exponent: square() converts its 2 implicitly and leaves it to the finalizer.
        using var two = 2.ToScalar();
        using var squared = t.pow(two);
        using var sum = squared.sum();
        return sum.item<double>();
    }

    /// <summary><c>||a − b||_F²</c>.</summary>
    public static double SquaredDistance(torch.Tensor a, torch.Tensor b)
    {
        using var difference = a - b;
        return SquaredNorm(difference);
    }

    /// <summary>A random subset of <paramref name="size"/> distinct indices below <paramref name="count"/>, ascending.</summary>
    public static long[] RandomSubset(Random random, int count, int size) =>
        Enumerable.Range(0, count).OrderBy(_ => random.Next()).Take(size).Select(i => (long)i).Order().ToArray();

    /// <summary>Median of a list.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
