using A3.Compression.Budget;
using A3.Runtime.Reporting;
using A3.Compression.Solvers;
using A3.Compression.Statistics;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Compression;

/// <summary>Compresses one layer with A3: RoPE pair selection, analytical OV, CUR MLP.</summary>
internal static class A3LayerCompressor
{
    /// <summary>Solves the three components of layer <paramref name="index"/> at the sizes of <paramref name="plan"/>.</summary>
    public static LayerCompression Compress(ModelConfig config, int index, LayerWeights weights, LayerStatistics statistics, LayerPlan plan, MlpSelector selector, CancellationToken cancellationToken)
    {
        using var solver = new A3LayerSolver(config, index, weights, statistics, selector, cancellationToken);
        return solver.Assemble(plan);
    }
}
