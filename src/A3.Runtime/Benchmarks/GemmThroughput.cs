using System.Diagnostics;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Runtime.Benchmarks;

/// <summary>
/// Measures the float32 matrix-product throughput of a device at one decoder layer's shapes: <c>[tokens × in]</c>
/// times the transpose of each of q, k, v, o, gate, up and down's <c>[out × in]</c> weight, as a forward pass runs them.
/// The result is the roofline a forward pass on that device can approach.
/// </summary>
internal static class GemmThroughput
{
    /// <summary>Rows of the untimed product that first touches each weight (thread pools, allocator, kernels chosen).</summary>
    private const int WarmupRows = 16;

    /// <summary>
    /// Timed products per shape; the fastest counts, because a roofline is what the device can reach and other work
    /// on a shared machine only ever slows a sample down.
    /// </summary>
    private const int Repeats = 3;

    /// <summary>Returns GFLOP/s over the seven products of <paramref name="config"/>'s first layer, each the fastest of a few after a warm-up.</summary>
    /// <param name="config">The model configuration; its first layer's shapes are measured.</param>
    /// <param name="tokens">Rows of the activation matrix (windows × sequence length of the forward pass it bounds).</param>
    /// <param name="device">Where to run.</param>
    /// <param name="cancellationToken">Checked between products.</param>
    /// <param name="dtype">The element type: float32, as the forward pass computes, or float64, as the statistics and solvers do.</param>
    /// <returns>2·tokens·in·out summed over the products, divided by their summed fastest times, in GFLOP/s.</returns>
    public static double Measure(ModelConfig config, int tokens, torch.Device device, CancellationToken cancellationToken, torch.ScalarType dtype = torch.ScalarType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        var names = TensorNames.Layer(0);
        double flops = 0;
        var elapsed = TimeSpan.Zero;
        using var generator = new torch.Generator(0);
        foreach (var projection in names.Projections)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            var (rows, columns) = LinearProjections.Dimensions(config, config.Layers[0], projection.Name);
            var weight = torch.randn([rows, columns], dtype, generator: generator).to(device);
            var input = torch.randn([tokens, columns], dtype, generator: generator).to(device);
            Complete(torch.matmul(input.narrow(0, 0, Math.Min(WarmupRows, tokens)), weight.t()));
            var fastest = TimeSpan.MaxValue;
            for (var repeat = 0; repeat < Repeats; repeat++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var inner = torch.NewDisposeScope();
                var clock = Stopwatch.StartNew();
                Complete(torch.matmul(input, weight.t()));
                fastest = TimeSpan.FromTicks(Math.Min(fastest.Ticks, clock.Elapsed.Ticks));
            }

            elapsed += fastest;
            flops += 2.0 * tokens * rows * columns;
        }

        return flops / elapsed.TotalSeconds / 1e9;
    }

    /// <summary>Waits for a result: reading one element back synchronises an asynchronous (CUDA) device, and costs nothing on the CPU.</summary>
    public static void Complete(torch.Tensor result)
    {
        using var first = result.flatten()[0];
        using var host = first.to(torch.float64, torch.CPU);
        _ = host.item<double>();
    }
}
