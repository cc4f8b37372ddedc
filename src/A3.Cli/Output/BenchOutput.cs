using A3.Compression.Benchmarks;
using A3.Runtime.Benchmarks;

namespace A3.Cli.Output;

/// <summary>What <c>a3 bench</c> writes as JSON: the machine it ran on and one row per preset and layer count.</summary>
/// <param name="ProcessorCount">Logical processors the process may use.</param>
/// <param name="Rows">The measured rows, in the order run.</param>
internal sealed record BenchOutput(int ProcessorCount, IReadOnlyList<BenchRow> Rows);

/// <summary>One preset at one layer count, measured in a process of its own so its peak memory is its own.</summary>
/// <param name="Runtime">The roofline, load, prefill and layer forward pass.</param>
/// <param name="Compression">Each method's compression and the inference comparison; absent when skipped.</param>
internal sealed record BenchRow(SyntheticBenchmarkResult Runtime, CompressionBenchmarkResult? Compression);
