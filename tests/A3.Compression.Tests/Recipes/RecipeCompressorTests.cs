using A3.Compression.Caching;
using A3.Compression.Recipes;
using A3.Recipes;
using A3.Runtime;
using A3.Runtime.Reporting;
using A3.Tests;
using TorchSharp;

namespace A3.Compression.Tests.Recipes;

/// <summary>The library's entry point from a recipe to a model folder, with and without its caches, in process.</summary>
public sealed class RecipeCompressorTests : IDisposable
{
    private readonly RecipeRun run = new();

    public void Dispose() => run.Dispose();

    [SkippableFact]
    public void Without_caches_the_folder_holds_the_model_and_its_report_and_nothing_else_is_left()
    {
        var recipe = run.WriteRecipe("budget: 0.2");

        var result = run.Compress(recipe, "out");

        Assert.Equal(CacheOutcome.NotUsed, result.Cache);
        Assert.Null(result.Key);
        Assert.Equal(run.Output("out"), result.OutputFolder);
        Assert.Equal(["a3-report.json", "config.json", "model.safetensors", "tokenizer.model"], FileNames(run.Output("out")));
        Assert.Equal(CompressionReportFile.Serialize(result.Report), File.ReadAllBytes(Path.Combine(run.Output("out"), CompressionReportFile.FileName)));
        Assert.Equal("budget 0.2 (search)", CompressionReportFile.ReadFromModelFolder(run.Output("out")).Target);

        // Nothing beside the output: the model folder and its report were renamed into place together.
        Assert.Equal(["out", "small.a3.yaml"], Directory.GetFileSystemEntries(run.Scratch).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.StartsWith("pre-flight ok: 5 layers", run.Notes.First(), StringComparison.Ordinal);
        Assert.Equal(5, run.Events.OfType<CompressionStep>().Count(step => step.Update.Stage.StartsWith("compress layer", StringComparison.Ordinal)));
    }

    [SkippableTheory]
    [InlineData(null, "bfloat16")]
    [InlineData("source", "bfloat16")]
    [InlineData("float32", "float32")]
    public void The_output_keeps_the_source_models_dtype_unless_the_recipe_names_one(string? outputDtype, string expected)
    {
        var model = WriteBfloat16Copy(Fixtures.Require("hf/stories260K-llama"), run.Output("bf16-model"));
        var extra = outputDtype is null ? string.Empty : $"output:\n  dtype: {outputDtype}";
        var recipe = run.WriteRecipe("qk: 0.25\n  ov: 0.25\n  mlp: 0.25", extra);
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace(Fixtures.Require("hf/stories260K-llama"), model, StringComparison.Ordinal));

        run.Compress(recipe, "out");

        using var written = A3.Runtime.Model.ModelCheckpoint.Open(run.Output("out"));
        Assert.Equal(expected, written.Config.TorchDtype);
        var stored = expected == "bfloat16" ? A3.Runtime.IO.TensorDType.BFloat16 : A3.Runtime.IO.TensorDType.Float32;
        Assert.All(written.Weights.Names, name => Assert.Equal(stored, written.Weights.Describe(name).DType));
    }

    [SkippableFact]
    public void A_recipe_built_in_memory_compresses_to_the_bytes_of_the_same_recipe_read_from_a_file()
    {
        var file = RecipeRun.Load(run.WriteRecipe("budget: 0.2"));
        var memory = new Recipe
        {
            Name = file.Name,
            Model = file.GetModelPath(),
            Calibration = new CalibrationSection { Data = file.GetCalibrationDataPath(), Take = 200, Samples = 16, SequenceLength = 96, SelectionSamples = 4 },
            Compression = new CompressionSection { Budget = 0.2, SearchLevels = 4, SearchEvaluations = 8 },
            Device = "cpu",
        };

        RecipeCompressor.Compress(file, run.Output("file"));
        RecipeCompressor.Compress(memory, run.Output("memory"));

        AssertSameFiles(run.Output("file"), run.Output("memory"));
    }

    [Fact]
    public void An_in_memory_recipe_with_wrong_values_is_refused_with_every_problem_named_by_key_before_any_work()
    {
        var recipe = new Recipe
        {
            Name = "in-memory",
            Model = Path.Combine(run.Scratch, "no-such-model"),
            Calibration = new CalibrationSection { Data = Path.Combine(run.Scratch, "no-such-data.txt"), Samples = 0 },
            Compression = new CompressionSection { Qk = 0.2, Budget = 0.2 },
        };

        var error = Assert.Throws<RecipeException>(() => RecipeCompressor.Compress(recipe, run.Output("never"), run.Cached));

        Assert.Equal(
            [RecipeKeys.CalibrationData, RecipeKeys.CalibrationSamples, RecipeKeys.CompressionBudget, RecipeKeys.Model],
            error.Diagnostics.Select(diagnostic => diagnostic.Key).Order(StringComparer.Ordinal));
        Assert.All(error.Diagnostics, diagnostic => Assert.Equal((string.Empty, 0), (diagnostic.File, diagnostic.Line)));
        Assert.False(Directory.Exists(run.Output("never")));
        Assert.False(Directory.Exists(run.CacheRoot));
    }

    [SkippableFact]
    public void Check_runs_the_preflight_and_writes_nothing()
    {
        var recipe = run.WriteRecipe("budget: 0.99\n  allocation: greedy");

        var error = Assert.Throws<RecipeException>(() => RecipeCompressor.Check(recipe));
        using var prepared = RecipeCompressor.Check(run.WriteRecipe("budget: 0.2"));

        Assert.Equal(RecipeKeys.CompressionBudget, Assert.Single(error.Diagnostics).Key);
        Assert.StartsWith("pre-flight ok: 5 layers, 260K params, 16×96 calibration tokens", prepared.Summary, StringComparison.Ordinal);
        Assert.Equal(["small.a3.yaml"], Directory.GetFileSystemEntries(run.Scratch).Select(Path.GetFileName));
    }

    [SkippableFact]
    public void The_second_run_hits_the_cache_and_materialises_the_same_bytes()
    {
        var recipe = run.WriteRecipe("budget: 0.2");

        var first = run.Compress(recipe, "out1", run.Cached);
        var second = run.Compress(recipe, "out2", run.Cached);

        Assert.Equal(CacheOutcome.Miss, first.Cache);
        Assert.Equal(CacheOutcome.Hit, second.Cache);
        Assert.Equal(first.Key, second.Key);
        Assert.Equal([$"cache miss {first.Key}", $"cache hit {first.Key}"], run.Notes.Where(note => note.StartsWith("cache ", StringComparison.Ordinal)));
        Assert.Equal(CompressionReportFile.Serialize(first.Report), CompressionReportFile.Serialize(second.Report));
        AssertSameFiles(run.Output("out1"), run.Output("out2"));
        Assert.True(File.Exists(Path.Combine(run.Output("out2"), ArtifactManifest.FileName)));
    }

    [SkippableFact]
    public void Two_cold_runs_with_separate_caches_write_identical_outputs()
    {
        var recipe = run.WriteRecipe("budget: 0.2");
        var options = new[] { "one", "two" }.Select(name => new RecipeCompressionOptions
        {
            ArtifactCache = new ArtifactCache(run.Output(name + "-cache")),
            StatisticsCacheFolder = run.Output(name + "-statistics"),
        }).ToArray();

        run.Compress(recipe, "one", options[0]);
        run.Compress(recipe, "two", options[1]);

        // Every output, the report included, has the same bytes; only the manifest's run facts (times) differ.
        var manifests = new[] { "one", "two" }.Select(name => ArtifactManifest.TryRead(Path.Combine(run.Output(name), ArtifactManifest.FileName))!).ToArray();
        Assert.Equal(manifests[0].Outputs, manifests[1].Outputs);
        Assert.Contains(manifests[0].Outputs, output => output.File == CompressionReportFile.FileName);
    }

    [SkippableFact]
    public void A_comment_keeps_the_key_and_a_new_budget_changes_it()
    {
        var path = run.WriteRecipe("budget: 0.2");
        var original = ArtifactKey.Compute(RecipeRun.Load(path), "cpu").Value;

        File.WriteAllText(path, "# tuned by hand\n" + File.ReadAllText(path));
        var commented = ArtifactKey.Compute(RecipeRun.Load(path), "cpu").Value;
        File.WriteAllText(path, File.ReadAllText(path).Replace("budget: 0.2", "budget: 0.3", StringComparison.Ordinal));
        var budget = ArtifactKey.Compute(RecipeRun.Load(path), "cpu").Value;

        Assert.Equal(original, commented);
        Assert.NotEqual(original, budget);
        Assert.NotEqual(original, ArtifactKey.Compute(RecipeRun.Load(path), "cuda").Value);
    }

    [SkippableFact]
    public void A_corrupt_entry_is_reported_and_rebuilt()
    {
        var recipe = run.WriteRecipe("budget: 0.2");
        var first = run.Compress(recipe, "out", run.Cached);
        FlipLastByte(Path.Combine(run.CacheRoot, first.Key!, "model.safetensors"));

        var second = run.Compress(recipe, "out", run.Cached);
        var third = run.Compress(recipe, "out", run.Cached);

        Assert.Contains($"cache entry {first.Key} is corrupt (model.safetensors changed); rebuilding", run.Notes);
        Assert.Equal(CacheOutcome.Miss, second.Cache);
        Assert.Equal(CacheOutcome.Hit, third.Cache);
        Assert.Equal(CompressionReportFile.Serialize(first.Report), CompressionReportFile.Serialize(third.Report));
    }

    [SkippableFact]
    public async Task Concurrent_runs_of_one_key_both_succeed_and_store_one_entry()
    {
        var recipe = RecipeRun.Load(run.WriteRecipe("budget: 0.2"));

        var results = await Task.WhenAll(
            RecipeCompressor.CompressAsync(recipe, run.Output("a"), run.Cached),
            RecipeCompressor.CompressAsync(recipe, run.Output("b"), run.Cached));

        Assert.Equal([CacheOutcome.Hit, CacheOutcome.Miss], results.Select(result => result.Cache).Order());
        Assert.Equal([results[0].Key], Directory.GetDirectories(run.CacheRoot).Select(Path.GetFileName));
        AssertSameFiles(run.Output("a"), run.Output("b"));
    }

    [SkippableFact]
    public void Cancelling_after_the_first_layer_leaves_no_entry_no_output_and_whole_statistics_that_the_next_run_reuses()
    {
        // Uniform: a search's planning passes would store every layer's original statistics before layer 0 is compressed.
        var recipe = run.WriteRecipe("budget: 0.2\n  allocation: uniform");
        using var cancellation = new CancellationTokenSource();

        Assert.ThrowsAny<OperationCanceledException>(() => run.Compress(recipe, "out", run.Cached, CancelAfterLayer0, cancellation.Token));

        // The lock file stays (it is never deleted); no entry and no temporary folder do.
        Assert.Empty(Directory.GetDirectories(run.CacheRoot));
        Assert.False(Directory.Exists(run.Output("out")));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(run.Scratch), entry => Path.GetFileName(entry).StartsWith(".out", StringComparison.Ordinal));
        var statistics = Directory.GetFiles(run.StatisticsRoot).Select(Path.GetFileName).ToList();
        Assert.Single(statistics);
        Assert.Matches("^[0-9a-f]{64}\\.safetensors$", statistics[0]);

        var next = run.Compress(recipe, "out", run.Cached);

        Assert.Equal(CacheOutcome.Miss, next.Cache);
        Assert.Contains("statistics: reused layer 0, collected layers 1-4", run.Notes);
        Assert.True(File.Exists(Path.Combine(run.Output("out"), "model.safetensors")));

        void CancelAfterLayer0(CompressionProgress progress)
        {
            if (progress is CompressionStep { Update.Stage: var stage } && stage.StartsWith("compress layer 0 ", StringComparison.Ordinal))
            {
                cancellation.Cancel();
            }
        }
    }

    [SkippableFact]
    public void A_stale_temporary_entry_left_by_a_killed_run_is_removed_when_the_key_is_stored()
    {
        var path = run.WriteRecipe("budget: 0.2");
        var key = ArtifactKey.Compute(RecipeRun.Load(path), "cpu").Value;
        var stale = Directory.CreateDirectory(Path.Combine(run.CacheRoot, $".tmp-{key}-{Guid.NewGuid():N}")).FullName;
        File.WriteAllText(Path.Combine(stale, "model.safetensors"), "half");

        var result = run.Compress(path, "out", run.Cached);

        Assert.Equal(key, result.Key);
        Assert.Equal([key], Directory.GetDirectories(run.CacheRoot).Select(Path.GetFileName));
    }

    [SkippableFact]
    public void A_ratio_change_misses_the_artifact_cache_but_reuses_every_layers_statistics()
    {
        var recipe = run.WriteRecipe("qk: 0.25\n  ov: 0.25\n  mlp: 0.25\n  sequential: false");
        run.Compress(recipe, "first", run.Cached);
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("mlp: 0.25", "mlp: 0.5", StringComparison.Ordinal));

        var second = run.Compress(recipe, "second", run.Cached);
        run.Compress(recipe, "cold");

        Assert.Equal(CacheOutcome.Miss, second.Cache);
        Assert.Equal(
            ["statistics: reused no layers, collected layers 0-4", "statistics: reused layers 0-4, collected no layers"],
            run.Notes.Where(note => note.StartsWith("statistics:", StringComparison.Ordinal)));
        Assert.All(second.RunFacts!.Layers, layer => Assert.True(layer.StatisticsReused));
        Assert.True(second.RunFacts.WriteSeconds > 0, "the run that wrote the folder times the write");
        Assert.Equal(File.ReadAllBytes(Path.Combine(run.Output("cold"), "model.safetensors")), File.ReadAllBytes(Path.Combine(run.Output("second"), "model.safetensors")));
    }

    [SkippableFact]
    public void An_evaluation_setting_that_does_not_fit_fails_in_the_preflight_at_its_recipe_line_and_writes_nothing()
    {
        var recipe = run.WriteRecipe("budget: 0.2", $"""
            evaluation:
              data: {Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt")}
              protocol: windows
              seq_len: 100000
            """);

        var error = Assert.Throws<RecipeException>(() => run.Compress(recipe, "out"));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(A3ErrorCodes.InvalidSetting, diagnostic.Code);
        Assert.Equal(File.ReadAllLines(recipe).ToList().FindIndex(line => line.Contains("seq_len", StringComparison.Ordinal)) + 1, diagnostic.Line);
        Assert.Contains("'evaluation.seq_len' must be between 2 and the model context 512, got 100000", diagnostic.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(run.Output("out")));
        Assert.Empty(run.Events.OfType<CompressionStep>());
    }

    [SkippableFact]
    public void Calibration_windows_longer_than_the_model_context_fail_in_the_preflight_at_their_recipe_line()
    {
        var recipe = run.WriteRecipe("budget: 0.2");
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("sequence_length: 96", "sequence_length: 1000", StringComparison.Ordinal));

        var error = Assert.Throws<RecipeException>(() => run.Compress(recipe, "out"));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(RecipeKeys.CalibrationSequenceLength, diagnostic.Key);
        Assert.Equal(File.ReadAllLines(recipe).ToList().FindIndex(line => line.Contains("sequence_length", StringComparison.Ordinal)) + 1, diagnostic.Line);
        Assert.Equal("'calibration.sequence_length' (1000) is more than the model context 512", diagnostic.Message);
        Assert.Empty(run.Events.OfType<CompressionStep>());
    }

    [SkippableFact]
    public void A_cuda_device_on_a_machine_without_cuda_fails_the_dry_run_at_its_recipe_line()
    {
        // The run resolved the device only after the pre-flight, so a dry run passed that the run would fail.
        Skip.If(torch.cuda.is_available(), "this machine has CUDA");
        var recipe = run.WriteRecipe("budget: 0.2");
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("device: cpu", "device: cuda", StringComparison.Ordinal));

        var error = Assert.Throws<RecipeException>(() => RecipeCompressor.Check(recipe).Dispose());

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal((A3ErrorCodes.InvalidSetting, RecipeKeys.Device), (diagnostic.Code, diagnostic.Key));
        Assert.StartsWith("'device' asks for cuda, but CUDA is not available", diagnostic.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Windows_longer_than_the_model_context_are_refused_before_the_data_is_read()
    {
        // 100,000 tokens is more than the 200 selected stories hold too; the context is what the user must change,
        // and it needs no data (reading it first reported the data as too short).
        var recipe = run.WriteRecipe("budget: 0.2");
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("sequence_length: 96", "sequence_length: 100000", StringComparison.Ordinal));

        var error = Assert.Throws<RecipeException>(() => run.Compress(recipe, "out"));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal((A3ErrorCodes.InvalidSetting, "'calibration.sequence_length' (100000) is more than the model context 512"), (diagnostic.Code, diagnostic.Message));
    }

    [SkippableFact]
    public void An_output_path_that_is_a_file_is_refused_before_any_work()
    {
        var recipe = run.WriteRecipe("budget: 0.2");
        File.WriteAllText(run.Output("taken"), "a file");

        var error = Assert.Throws<InvalidSettingException>(() => run.Compress(recipe, "taken", run.Cached));

        Assert.Equal(A3.Runtime.IO.ModelFolderDestination.Setting, error.Setting);
        Assert.Empty(run.Events);
        Assert.Equal("a file", File.ReadAllText(run.Output("taken")));
    }

    [SkippableFact]
    public void An_output_folder_of_user_files_is_refused_before_any_work_and_kept()
    {
        var recipe = run.WriteRecipe("budget: 0.2");
        Directory.CreateDirectory(run.Output("documents"));
        File.WriteAllText(Path.Combine(run.Output("documents"), "thesis.txt"), "years of work");

        var error = Assert.Throws<InvalidSettingException>(() => run.Compress(recipe, "documents", run.Cached));

        Assert.Equal(A3.Runtime.IO.ModelFolderDestination.Setting, error.Setting);
        Assert.Contains("is not an A3 output", error.Message, StringComparison.Ordinal);
        Assert.Empty(run.Events);
        Assert.Equal(["thesis.txt"], Directory.GetFileSystemEntries(run.Output("documents")).Select(Path.GetFileName));
        Assert.Equal("years of work", File.ReadAllText(Path.Combine(run.Output("documents"), "thesis.txt")));
    }

    [SkippableFact]
    public void A_whole_compression_leaves_no_live_tensor()
    {
        var recipe = run.WriteRecipe("budget: 0.2", SmallRecipe.HeldOutEvaluation(documents: 20));

        // A first run pays for anything created once per process; the second must return every tensor it made. The
        // budget's default allocation is the search, and fresh caches make the second run measure everything again.
        run.Compress(recipe, "warm", run.Cached);
        var statistics = DisposeScopeManager.Statistics.TensorStatistics;
        var live = statistics.ThreadTotalLiveCount;
        var created = statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount;
        var result = RecipeCompressor.Compress(RecipeRun.Load(recipe), run.Output("measured"), new RecipeCompressionOptions { ArtifactCache = new ArtifactCache(run.Output("other-cache")), StatisticsCacheFolder = run.Output("other-statistics") });

        Assert.NotNull(result.Report.Evaluation);
        Assert.Equal("search", result.Report.Allocation?.Allocator);
        Assert.False(result.RunFacts!.Allocation!.SensitivitiesReused);
        Assert.True(statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount - created > 1000, "the measured run made tensors on this thread");
        Assert.Equal(live, statistics.ThreadTotalLiveCount);
    }

    /// <summary>Writes <paramref name="source"/> again with bfloat16 weights: a stand-in for the bf16 checkpoints users bring.</summary>
    private static string WriteBfloat16Copy(string source, string folder)
    {
        using var scope = torch.NewDisposeScope();
        using var checkpoint = A3.Runtime.Model.ModelCheckpoint.Open(source);
        var tensors = checkpoint.Weights.Names.ToDictionary(name => name, name => checkpoint.Weights.Load(name, torch.float32, torch.CPU), StringComparer.Ordinal);
        A3.Runtime.IO.ModelFolderWriter.Write(folder, checkpoint.Config, tensors, source, torch.ScalarType.BFloat16);
        return folder;
    }

    private static string[] FileNames(string folder) =>
        Directory.GetFiles(folder).Select(file => Path.GetFileName(file)!).Order(StringComparer.Ordinal).ToArray();

    private static void AssertSameFiles(string expected, string actual)
    {
        Assert.Equal(FileNames(expected).Where(name => name != ArtifactManifest.FileName), FileNames(actual).Where(name => name != ArtifactManifest.FileName));
        foreach (var name in FileNames(expected).Where(name => name != ArtifactManifest.FileName))
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, name))), $"{name} differs");
        }
    }

    private static void FlipLastByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }
}
