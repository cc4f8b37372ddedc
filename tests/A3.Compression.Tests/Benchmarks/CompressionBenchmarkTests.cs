using A3.Compression.Benchmarks;
using A3.Recipes;
using A3.Runtime.Benchmarks;
using A3.Runtime.Inspection;
using A3.Tests;

namespace A3.Compression.Tests.Benchmarks;

/// <summary>The compression benchmark on the stories260K shape: what it compresses, what it times and what it leaves behind.</summary>
public sealed class CompressionBenchmarkTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-compression-bench-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public void Each_method_is_compressed_at_the_budget_timed_by_phase_and_run_beside_the_original()
    {
        var preset = SyntheticModelPresets.Stories260K;
        var tokenizer = Fixtures.Require(preset.TokenizerFixture);
        using var checkpoint = SyntheticCheckpoint.Create(preset, tokenizer, scratch, new SyntheticBenchmarkOptions { Layers = 2 });
        var options = new CompressionBenchmarkOptions
        {
            Windows = 4,
            SequenceLength = 32,
            Inference = new InferenceOptions { PrefillLengths = [16, 48], PromptLength = 16, DecodeTokens = 4 },
            InferenceRounds = 2,
        };

        var result = CompressionBenchmark.Run(checkpoint, options);

        Assert.Equal(["a3-uniform", "svd-llm"], result.Compressions.Select(method => method.Method));
        foreach (var method in result.Compressions)
        {
            Assert.InRange(method.DecoderRemovedFraction, 0.15, 0.25);
            Assert.Equal(2, method.RunFacts.Layers.Count);
            Assert.True(method.RunFacts.WriteSeconds > 0 && method.OutputBytes > 0);
            Assert.NotNull(method.RunFacts.Layers[0].ForwardSeconds);
            Assert.Null(method.RunFacts.Layers[1].ForwardSeconds);
        }

        // The original first, then each compression, with what their configurations say they cost.
        Assert.Equal(["original", "a3-uniform", "svd-llm"], result.Inference.Select(model => model.Model));
        var original = ModelFootprint.Compute(checkpoint.Config, sizeof(float), 1);
        Assert.Equal((original.TotalParameters, original.KvCacheBytesPerToken), (result.Inference[0].Parameters, result.Inference[0].KvCacheBytesPerToken));
        Assert.True(result.Inference[1].KvCacheBytesPerToken < original.KvCacheBytesPerToken, "A3 caches fewer key and value dims");
        Assert.Equal(original.KvCacheBytesPerToken, result.Inference[2].KvCacheBytesPerToken);
        Assert.All(result.Inference.Skip(1), model => Assert.True(model.Parameters < original.TotalParameters));
        foreach (var model in result.Inference)
        {
            Assert.Equal([16, 48], model.Speed.PrefillTokensPerSecond.Keys.Order());
            Assert.All(model.Speed.PrefillTokensPerSecond.Values.Append(model.Speed.DecodeTokensPerSecond), speed => Assert.True(double.IsFinite(speed) && speed > 0));
        }

        // The compressed folders and their spools are gone; the checkpoint is the caller's.
        Assert.Equal([checkpoint.Folder], Directory.GetFileSystemEntries(scratch));
    }

    [SkippableFact]
    public void A_cancelled_benchmark_leaves_only_the_checkpoint()
    {
        var preset = SyntheticModelPresets.Stories260K;
        var tokenizer = Fixtures.Require(preset.TokenizerFixture);
        using var checkpoint = SyntheticCheckpoint.Create(preset, tokenizer, scratch, new SyntheticBenchmarkOptions { Layers = 2 });
        using var cancellation = new CancellationTokenSource();
        var options = new CompressionBenchmarkOptions { Methods = [RecipeMethod.A3], Windows = 2, SequenceLength = 16, Inference = null };

        // Cancelled when the second layer starts: the first is in the spool beside the output by then.
        var progress = new CancelAt(cancellation, "layer 1: statistics");
        Assert.ThrowsAny<OperationCanceledException>(() => CompressionBenchmark.Run(checkpoint, options, progress, cancellation.Token));

        Assert.Equal([checkpoint.Folder], Directory.GetFileSystemEntries(scratch));
    }

    private sealed class CancelAt(CancellationTokenSource source, string stage) : IProgress<A3.Runtime.Progress.ProgressUpdate>
    {
        public void Report(A3.Runtime.Progress.ProgressUpdate value)
        {
            if (value.Stage.EndsWith(stage, StringComparison.Ordinal))
            {
                source.Cancel();
            }
        }
    }
}
