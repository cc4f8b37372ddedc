using A3.Runtime.Benchmarks;

namespace A3.Cli.Output;

/// <summary>What <c>a3 bench</c> writes as JSON: the machine it ran on and one row per preset and layer count.</summary>
/// <param name="ProcessorCount">Logical processors the process may use.</param>
/// <param name="Rows">The measured rows, in the order run.</param>
internal sealed record BenchOutput(int ProcessorCount, IReadOnlyList<SyntheticBenchmarkResult> Rows);
