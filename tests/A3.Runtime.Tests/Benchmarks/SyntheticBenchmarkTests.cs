using A3.Runtime.Benchmarks;
using A3.Runtime.Inspection;
using A3.Runtime.Progress;
using A3.Runtime.Tests.IO;
using A3.Tests;

namespace A3.Runtime.Tests.Benchmarks;

/// <summary>The benchmark's pieces: a run's row, its FLOP count, and the temporary checkpoint removed.</summary>
public sealed class SyntheticBenchmarkTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [SkippableFact]
    public void Run_gives_finite_positive_figures_and_removes_its_checkpoint()
    {
        var preset = SyntheticModelPresets.Stories260K;
        var tokenizer = Fixtures.Require(preset.TokenizerFixture);
        var options = new SyntheticBenchmarkOptions { Layers = 2, Windows = 2, SequenceLength = 16 };

        var result = SyntheticBenchmark.Run(preset, tokenizer, folder.Path, options);

        Assert.Equal((preset.Name, 2, 2, 16), (result.Preset, result.Layers, result.Windows, result.SequenceLength));
        foreach (var value in new[] { result.WriteSeconds, result.GemmGflops, result.LoadSeconds, result.PrefillSeconds, result.PrefillTokensPerSecond, result.PrefillGflops, result.RooflineFraction, result.LayerForwardSeconds, result.LayerForwardGflops, result.GemmGflopsFloat64 })
        {
            Assert.True(double.IsFinite(value) && value > 0, $"{value} in {result}");
        }

        Assert.Equal(2 * 16 / result.PrefillSeconds, result.PrefillTokensPerSecond, 6);
        Assert.Equal(result.PrefillGflops / result.GemmGflops, result.RooflineFraction, 6);
        Assert.Equal(result.LayerForwardGflops / result.GemmGflops, result.LayerRooflineFraction, 6);
        Assert.True(result.CheckpointBytes > 0);
        if (OperatingSystem.IsLinux())
        {
            Assert.True(result.PeakRssBytes > 0);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [SkippableFact]
    public void Cancelling_while_the_checkpoint_is_written_removes_it()
    {
        var preset = SyntheticModelPresets.Stories260K;
        var tokenizer = Fixtures.Require(preset.TokenizerFixture);
        using var cancellation = new CancellationTokenSource();

        // Cancelled from the first progress report, which comes as the first tensor is generated.
        Assert.ThrowsAny<OperationCanceledException>(() => SyntheticBenchmark.Run(preset, tokenizer, folder.Path, new SyntheticBenchmarkOptions(), new CancelOnReport(cancellation), cancellation.Token));

        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public void Prefill_flops_are_the_per_token_flops_summed_over_the_causal_contexts(int length)
    {
        var config = SyntheticModelPresets.Llama3_8B.ToConfig(2);

        // Position p (from 1) of a window attends to p positions: the sum, term by term, of ModelFootprint's count.
        double expected = Enumerable.Range(1, length).Sum(context => (double)ModelFootprint.Compute(config, 4, context).FlopsPerToken);

        Assert.Equal(3 * expected, PrefillFlops.Of(config, 3, length), expected * 1e-12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public void A_layers_prefill_flops_are_its_per_token_flops_summed_and_the_layers_and_head_make_the_whole(int length)
    {
        var config = SyntheticModelPresets.Qwen25_7B.ToConfig(2);
        double expected = Enumerable.Range(1, length).Sum(context => (double)ModelFootprint.Compute(config, 4, context).Layers[1].FlopsPerToken);
        double head = 2.0 * config.HiddenSize * config.VocabSize * length;

        Assert.Equal(2 * expected, PrefillFlops.OfLayer(config, 1, 2, length), expected * 1e-12);
        Assert.Equal(PrefillFlops.Of(config, 1, length), PrefillFlops.OfLayer(config, 0, 1, length) + PrefillFlops.OfLayer(config, 1, 1, length) + head, expected * 1e-9);
    }

    /// <summary>Cancels on the reporting thread, as a user's Ctrl+C would arrive mid-run.</summary>
    private sealed class CancelOnReport(CancellationTokenSource source) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => source.Cancel();
    }
}
