using System.Diagnostics;
using A3.Compression.Solvers;
using Xunit.Abstractions;

namespace A3.Compression.Tests;

/// <summary>
/// Times the MLP neuron ranking at Llama-3-8B widths (I = 14336, d = 4096), blocked and, when asked, unblocked. A
/// measurement for notes, not a test: it runs only when <c>A3_MEASURE_ELIMINATION</c> lists the counts to time
/// (e.g. <c>1024,4096</c>); <c>A3_MEASURE_UNBLOCKED=1</c> adds the unblocked reference (minutes per count), and
/// <c>A3_MEASURE_BLOCK_SIZES</c> (e.g. <c>32,64,128</c>) tries other panel widths, <c>A3_MEASURE_CANCEL_AFTER_S</c>
/// (e.g. <c>3,30</c>) times how long a full ranking takes to stop once cancelled after so many seconds.
/// </summary>
public sealed class EliminationTimings(ITestOutputHelper output)
{
    [SkippableFact]
    public void Rank_at_llama_widths()
    {
        var counts = Environment.GetEnvironmentVariable("A3_MEASURE_ELIMINATION");
        Skip.If(string.IsNullOrWhiteSpace(counts), "set A3_MEASURE_ELIMINATION to the counts to time, e.g. 1024,4096");
        var unblocked = Environment.GetEnvironmentVariable("A3_MEASURE_UNBLOCKED") == "1";
        var blockSizes = (Environment.GetEnvironmentVariable("A3_MEASURE_BLOCK_SIZES") ?? $"{BlockedNeuronElimination.DefaultBlockSize}")
            .Split(',').Select(int.Parse).ToArray();
        var size = int.TryParse(Environment.GetEnvironmentVariable("A3_MEASURE_SIZE"), out var s) ? s : 14336;
        var outputs = int.TryParse(Environment.GetEnvironmentVariable("A3_MEASURE_OUTPUTS"), out var d) ? d : 4096;
        var random = new Random(6000);
        var clock = Stopwatch.StartNew();
        using var intermediate = MlpCurTests.LowRankPlusDiagonal(random, size, rank: 256);
        using var down = MlpCurTests.ScaledDown(random, outputs, size);
        Report($"I={size} d={outputs}: data built in {clock.Elapsed.TotalSeconds:F1} s");
        clock.Restart();
        using (var product = down.matmul(intermediate))
        using (var weighted = product * down)
        using (var sum = weighted.sum())
        {
            Report($"output energy tr(W C Wᵀ) = {sum.item<double>():G6} as one product (the unblocked start): {clock.Elapsed.TotalSeconds:F1} s");
        }

        clock.Restart();
        var energy = BlockedNeuronElimination.OutputEnergy(intermediate, down, CancellationToken.None);
        Report($"output energy tr(W C Wᵀ) = {energy:G6} by the blocked upper triangle (the blocked start): {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var after in (Environment.GetEnvironmentVariable("A3_MEASURE_CANCEL_AFTER_S") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(double.Parse))
        {
            using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(after));
            clock.Restart();
            Assert.ThrowsAny<OperationCanceledException>(() => MlpCur.Rank(intermediate, down, size, MlpSelector.PivotedCholesky, cancellation.Token));
            Report($"cancelled after {after} s: stopped at {clock.Elapsed.TotalSeconds:F2} s");
        }

        foreach (var count in counts.Split(',').Select(int.Parse))
        {
            MlpNeuronRanking? blocked = null;
            foreach (var blockSize in blockSizes)
            {
                clock.Restart();
                blocked = blockSize == BlockedNeuronElimination.DefaultBlockSize
                    ? MlpCur.Rank(intermediate, down, count, MlpSelector.PivotedCholesky)
                    : BlockedNeuronElimination.Eliminate(intermediate, down, null, count, CancellationToken.None, blockSize);
                Report($"k={count} blocked nb={blockSize}: {clock.Elapsed.TotalSeconds:F1} s");
            }

            if (unblocked)
            {
                clock.Restart();
                var reference = UnblockedNeuronElimination.Eliminate(intermediate, down, null, count);
                Report($"k={count} unblocked: {clock.Elapsed.TotalSeconds:F1} s");
                var same = reference.Order.Zip(blocked!.Order).TakeWhile(pair => pair.First == pair.Second).Count();
                var gap = reference.PrefixErrors.Zip(blocked.PrefixErrors).Max(pair => Math.Abs(pair.First - pair.Second));
                Report($"k={count}: orders agree on the first {same}, largest prefix-error difference {gap:G3}");
            }
        }
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        Console.Error.WriteLine(line);
    }
}
