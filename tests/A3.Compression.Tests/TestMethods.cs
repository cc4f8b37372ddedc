using A3.Compression.Budget;
using A3.Compression.Methods;
using A3.Compression.Pipelines;
using A3.Compression.Solvers;

namespace A3.Compression.Tests;

/// <summary>The engine settings tests compress with, by the names <c>a3 compare</c> uses.</summary>
internal static class TestMethods
{
    /// <summary>A method that removes <paramref name="budget"/>: <c>a3</c> (uniform), <c>a3-greedy</c>, <c>svd</c> or <c>svd-llm</c>.</summary>
    public static ICompressionMethod AtBudget(string name, double budget) => name switch
    {
        "a3" => new A3Method(new UniformBudgetPlanner(budget), MlpSelector.PivotedCholesky),
        "a3-greedy" => new A3Method(new GreedyBudgetPlanner(budget), MlpSelector.PivotedCholesky),
        "svd" => new SvdMethod(budget),
        "svd-llm" => new SvdLlmMethod(budget),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "a3, a3-greedy, svd or svd-llm"),
    };

    /// <summary>Settings for <paramref name="method"/> on the CPU.</summary>
    public static CompressionSettings Settings(ICompressionMethod method, bool sequential = true) =>
        new() { Method = method, Pipeline = sequential ? CalibrationPipeline.Sequential : CalibrationPipeline.Independent };

    /// <summary>Settings for <paramref name="ratios"/> with optional per-layer overrides.</summary>
    public static CompressionSettings Ratios(double qk, double ov, double mlp, bool sequential = true, params LayerRatioOverride[] overrides) =>
        Settings(new A3Method(new RatiosPlanner(new ComponentRatios(qk, ov, mlp), overrides), MlpSelector.PivotedCholesky), sequential);
}
