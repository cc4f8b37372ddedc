using A3.Compression;
using A3.Compression.Budget;
using A3.Compression.Calibration;
using A3.Compression.Methods;
using A3.Compression.Statistics;
using A3.Evaluation;
using A3.Recipes;
using A3.Runtime;
using A3.Runtime.Evaluation;
using A3.Runtime.Model;
using A3.Tests;
using TorchSharp;

namespace A3.Compression.Tests;

/// <summary>The whole pipeline on the real fixtures, with a small calibration set to stay quick.</summary>
public sealed class ModelCompressorTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-compress-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private static CalibrationSet Calibration(ModelCheckpoint checkpoint) =>
        CalibrationSetBuilder.Build(
            Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt"),
            checkpoint.Tokenizer,
            new CalibrationOptions { Take = 200, Samples = 16, SequenceLength = 96, Seed = 1 });

    private static float[] Logits(DecoderModel model, long[] ids)
    {
        using var scope = torch.NewDisposeScope();
        return model.Forward(torch.tensor(ids, [1, ids.Length])).flatten().data<float>().ToArray();
    }

    private static long[] StoryIds(ModelCheckpoint checkpoint, int story) =>
        [1, .. checkpoint.Tokenizer.Encode(DocumentSplitter.Split(File.ReadAllText(Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt")), "<|endoftext|>")[story]).Take(80).Select(id => (long)id)];

    [SkippableFact]
    public void The_compressed_layers_wait_on_disk_while_the_model_lives_and_go_with_it()
    {
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require("hf/stories260K-llama"));
        var spool = Path.Combine(scratch, "layers");
        var settings = TestMethods.Ratios(0.25, 0.25, 0.25) with { SpoolFolder = spool };

        using (var compressed = ModelCompressor.Compress(checkpoint, Calibration(checkpoint), settings))
        {
            // One file per layer, read back on demand: the compressed model holds no layer in memory.
            Assert.Equal(checkpoint.Config.NumLayers, Directory.GetFiles(spool).Length);
            var query = TensorNames.Layer(2).Query.Weight;
            Assert.Equal(compressed.Config.Layers[2].QkHeadDim * compressed.Config.NumAttentionHeads, compressed.Weights.Describe(query).Shape[0]);
            Assert.Equal(checkpoint.Weights.Describe(TensorNames.Embeddings).Shape, compressed.Weights.Describe(TensorNames.Embeddings).Shape);
        }

        Assert.False(Directory.Exists(spool));
    }

    [SkippableFact]
    public void A_spool_in_the_temporary_folder_left_by_a_process_that_is_gone_is_removed_by_the_next_run()
    {
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require("hf/stories260K-llama"));
        using var ended = System.Diagnostics.Process.Start("true")!;
        ended.WaitForExit();
        var abandoned = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"a3-layers-{ended.Id}-{Guid.NewGuid():N}")).FullName;
        File.WriteAllText(Path.Combine(abandoned, "layer-0.safetensors"), "left by a killed run");
        var live = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"a3-layers-1-{Guid.NewGuid():N}")).FullName;
        try
        {
            using (ModelCompressor.Compress(checkpoint, Calibration(checkpoint), TestMethods.Ratios(0.25, 0.25, 0.25)))
            {
            }

            Assert.False(Directory.Exists(abandoned));
            Assert.True(Directory.Exists(live), "a running process's spool stays");
        }
        finally
        {
            foreach (var folder in new[] { abandoned, live }.Where(Directory.Exists))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [SkippableFact]
    public void A_cancelled_compression_leaves_no_layer_on_disk()
    {
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require("hf/stories260K-llama"));
        var spool = Path.Combine(scratch, "layers");
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress(update =>
        {
            if (update.Stage.StartsWith("compress layer 2", StringComparison.Ordinal))
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => ModelCompressor.Compress(
            checkpoint, Calibration(checkpoint), TestMethods.Ratios(0.25, 0.25, 0.25) with { SpoolFolder = spool }, progress, cancellation.Token));

        Assert.False(Directory.Exists(spool));
    }

    [SkippableTheory]
    [InlineData("a3")]
    [InlineData("svd")]
    [InlineData("svd-llm")]
    public void Cancelled_as_a_layer_starts_solving_it_does_no_more_layer_work(string method)
    {
        // Cancelling when layer 0 reports its solve must stop inside that layer's solvers: before the check reached
        // them, layer 0 was solved and spooled and only layer 1 noticed.
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require("hf/stories260K-llama"));
        var spool = Path.Combine(scratch, "layers");
        using var cancellation = new CancellationTokenSource();
        var stages = new List<string>();
        var progress = new SynchronousProgress(update =>
        {
            stages.Add(update.Stage);
            if (update.Stage == "layer 0: solve")
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => ModelCompressor.Compress(
            checkpoint, Calibration(checkpoint), TestMethods.Settings(TestMethods.AtBudget(method, 0.2)) with { SpoolFolder = spool }, progress, cancellation.Token));

        Assert.Equal("layer 0: solve", stages[^1]);
        Assert.False(Directory.Exists(spool));
    }

    [SkippableFact]
    public void Zero_ratios_reproduce_the_original_logits()
    {
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require("hf/stories260K-llama"));
        using var compressed = ModelCompressor.Compress(checkpoint, Calibration(checkpoint), TestMethods.Ratios(0, 0, 0));
        using var original = checkpoint.CreateModel(torch.CPU, torch.float32);
        using var model = compressed.CreateModel(torch.CPU, torch.float32);
        var ids = StoryIds(checkpoint, 700);

        var expected = Logits(original, ids);
        var actual = Logits(model, ids);

        var maxAbs = expected.Zip(actual).Max(pair => Math.Abs(pair.First - pair.Second));
        Assert.True(maxAbs < 1e-3, $"max |Δlogit| = {maxAbs}");
        Assert.Equal(0, compressed.Report.DecoderParametersRemoved);
        Assert.All(compressed.Report.Layers.SelectMany(layer => layer.Components), component => Assert.True(component.RelativeError < 1e-9, $"{component.Component}: {component.RelativeError}"));
    }

    [SkippableTheory]
    [InlineData("a3")]
    [InlineData("a3-greedy")]
    [InlineData("svd-llm")]
    [InlineData("svd")]
    public void A_budget_is_met_and_the_written_folder_reloads_with_identical_logits(string method)
    {
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require("hf/stories260K-llama"));
        using var compressed = ModelCompressor.Compress(checkpoint, Calibration(checkpoint), TestMethods.Settings(TestMethods.AtBudget(method, 0.2)));
        var folder = Path.Combine(scratch, method);
        compressed.Write(folder, checkpoint.Path, torch.ScalarType.Float32, compressed.Report);
        using var reopened = ModelCheckpoint.Open(folder);
        using var inMemory = compressed.CreateModel(torch.CPU, torch.float32);
        using var fromDisk = reopened.CreateModel(torch.CPU, torch.float32);
        var ids = StoryIds(checkpoint, 600);

        Assert.Equal(Logits(inMemory, ids), Logits(fromDisk, ids));

        // Layer-level rounding moves the achieved fraction by at most a few percent on this tiny model.
        Assert.InRange(compressed.Report.DecoderRemovedFraction, 0.17, 0.24);
        Assert.Equal(compressed.Report.Layers.Count, checkpoint.Config.NumLayers);
        Assert.True(compressed.Report.After.KvCacheBytesPerToken <= compressed.Report.Before.KvCacheBytesPerToken || !method.StartsWith("a3", StringComparison.Ordinal));

        // Every solver the report names (component or projection) is timed under the same name.
        Assert.All(compressed.Report.Layers, layer => Assert.Equal(
            layer.Components.Select(component => component.Component).Order(),
            compressed.RunFacts.Layers[layer.Index].SolverSeconds!.Keys.Order()));
    }

    [SkippableTheory]
    [InlineData("a3")]
    [InlineData("svd-llm")]
    public void Two_runs_write_byte_identical_files(string method)
    {
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require("hf/stories260K-llama"));
        var settings = TestMethods.Settings(TestMethods.AtBudget(method, 0.2));
        var folders = new[] { Path.Combine(scratch, "first"), Path.Combine(scratch, "second") };
        foreach (var folder in folders)
        {
            using var compressed = ModelCompressor.Compress(checkpoint, Calibration(checkpoint), settings);
            compressed.Write(folder, checkpoint.Path, torch.ScalarType.Float32, compressed.Report);
        }

        foreach (var file in new[] { "config.json", "model.safetensors", "a3-report.json" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(folders[0], file)), File.ReadAllBytes(Path.Combine(folders[1], file)));
        }
    }

    [SkippableFact]
    public void Sequential_and_non_sequential_calibration_give_different_but_valid_models()
    {
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require("hf/stories260K-llama"));
        var calibration = Calibration(checkpoint);
        using var sequential = ModelCompressor.Compress(checkpoint, calibration, TestMethods.Settings(TestMethods.AtBudget("a3", 0.2)));
        using var parallel = ModelCompressor.Compress(checkpoint, calibration, TestMethods.Settings(TestMethods.AtBudget("a3", 0.2), sequential: false));

        // Layer 0 sees the same inputs either way; later layers do not.
        Assert.Equal(sequential.Report.Layers[0].Components, parallel.Report.Layers[0].Components);
        Assert.NotEqual(sequential.Report.Layers[4].Components.Select(c => c.RelativeError), parallel.Report.Layers[4].Components.Select(c => c.RelativeError));
        Assert.False(sequential.Report.Sequential == parallel.Report.Sequential);

        // Each layer's time is split by phase: the sequential run forwards every compressed layer but the last to feed
        // the next one; the non-sequential run takes the original outputs from the statistics pass and forwards none.
        var layers = sequential.Report.Layers.Count;
        foreach (var facts in sequential.RunFacts.Layers)
        {
            Assert.Equal(["mlp", "ov", "qk"], facts.SolverSeconds!.Keys.Order());
            Assert.All(facts.SolverSeconds.Values, seconds => Assert.True(seconds > 0));
            Assert.True(facts.SolverSeconds.Values.Sum() + facts.WeightsSeconds <= facts.SolveSeconds);
            Assert.True(facts.StatisticsSeconds > 0 && facts.SpoolSeconds > 0);
            Assert.Equal(facts.Index < layers - 1, facts.ForwardSeconds is > 0);
        }

        Assert.All(parallel.RunFacts.Layers, facts => Assert.Null(facts.ForwardSeconds));
        var phases = sequential.RunFacts.PlanSeconds + sequential.RunFacts.Layers.Sum(facts => facts.StatisticsSeconds + facts.SolveSeconds + facts.SpoolSeconds + (facts.ForwardSeconds ?? 0));
        Assert.InRange(phases, 0, sequential.RunFacts.Seconds);
    }

    [SkippableFact]
    public void The_multi_head_llama2c_model_compresses_and_evaluates()
    {
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require("llama2c/aidreams260K/aidreams260K.bin"));
        var calibration = CalibrationSetBuilder.Build(
            Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt"),
            checkpoint.Tokenizer,
            new CalibrationOptions { Format = RecipeCalibrationFormat.Text, Samples = 16, SequenceLength = 64, Seed = 2 });
        using var compressed = ModelCompressor.Compress(checkpoint, calibration, TestMethods.Settings(TestMethods.AtBudget("a3", 0.2)));
        using var model = compressed.CreateModel(torch.CPU, torch.float32);
        using var original = checkpoint.CreateModel(torch.CPU, torch.float32);
        var sequences = new[] { new ScoringSequence([1, .. checkpoint.Tokenizer.Encode("The gentle hum of vectors unfolds into quiet precision.")]) };

        var before = PerplexityEvaluator.Evaluate(original, sequences);
        var after = PerplexityEvaluator.Evaluate(model, sequences);

        Assert.Equal(checkpoint.Config.NumAttentionHeads, checkpoint.Config.NumKeyValueHeads);
        Assert.True(double.IsFinite(after.Perplexity));
        Assert.True(after.MeanNll < before.MeanNll + 2, $"NLL {before.MeanNll} -> {after.MeanNll}");
        Assert.InRange(compressed.Report.DecoderRemovedFraction, 0.15, 0.25);
    }

    [SkippableFact]
    public void Cancellation_stops_the_run_before_it_writes_anything_into_the_statistics_cache_it_was_given()
    {
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require("hf/stories260K-llama"));
        // Built here, not inside the lambda below, so an absent fixture skips instead of failing ThrowsAny.
        var calibration = Calibration(checkpoint);
        var cache = new LayerStatisticsCache(Path.Combine(scratch, "statistics"), "stories260K-llama test identity");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            ModelCompressor.Compress(checkpoint, calibration, TestMethods.Settings(TestMethods.AtBudget("a3", 0.2)) with { StatisticsCache = cache }, cancellationToken: cancelled.Token));

        // The cache folder is the one place the compressor may write; cancelled before its first
        // layer, it must not have stored an entry, a partial file or even the folder.
        Assert.Empty(Directory.GetFileSystemEntries(scratch));
    }

    [SkippableFact]
    public void Contradicting_options_and_compressed_inputs_are_input_errors()
    {
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require("hf/stories260K-llama"));
        var calibration = Calibration(checkpoint);

        Assert.Equal("compression.budget", Assert.Throws<InvalidSettingException>(() => new SvdMethod(1.5)).Setting);
        Assert.Equal("compression.qk", Assert.Throws<InvalidSettingException>(() => new RatiosPlanner(new ComponentRatios(1, 0, 0))).Setting);
        Assert.Equal("compression.round_to", Assert.Throws<InvalidSettingException>(() => new GreedyBudgetPlanner(0.2, roundTo: 0)).Setting);

        using var compressed = ModelCompressor.Compress(checkpoint, calibration, TestMethods.Settings(TestMethods.AtBudget("a3", 0.1)));
        var folder = Path.Combine(scratch, "once");
        compressed.Write(folder, checkpoint.Path, torch.ScalarType.Float32, compressed.Report);
        using var reopened = ModelCheckpoint.Open(folder);
        Assert.Equal("model", Assert.Throws<InvalidSettingException>(() => ModelCompressor.Compress(reopened, calibration, TestMethods.Settings(TestMethods.AtBudget("a3", 0.1)))).Setting);
    }

    /// <summary>Reports on the compressing thread, in order, unlike <see cref="Progress{T}"/>.</summary>
    private sealed class SynchronousProgress(Action<A3.Runtime.Progress.ProgressUpdate> report) : IProgress<A3.Runtime.Progress.ProgressUpdate>
    {
        public void Report(A3.Runtime.Progress.ProgressUpdate value) => report(value);
    }
}
