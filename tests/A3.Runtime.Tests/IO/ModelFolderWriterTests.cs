using A3.Runtime.Inspection;
using A3.Runtime.IO;
using A3.Runtime.Model;
using A3.Runtime.Native;
using A3.Tests;
using TorchSharp;

namespace A3.Runtime.Tests.IO;

/// <summary>
/// Writes compressed variants of the stories260K fixture with <see cref="ModelFolderWriter"/> and
/// reopens them through <see cref="ModelCheckpoint.Open"/>, the path every consumer uses.
/// </summary>
public sealed class ModelFolderWriterTests
{
    private const string HfFixture = Stories260KVariants.HfFixture;
    private const string Llama2cFixture = "llama2c/stories260K/stories260K.bin";
    private const int HeadDim = Stories260KVariants.HeadDim;

    /// <summary>Layer 1 keeps pairs {0,2,3} for KV head 0 and {1,2,3} for KV heads 1..3.</summary>
    private static readonly int[][] KeptPairs = Stories260KVariants.KeptPairs;

    public ModelFolderWriterTests()
    {
        TorchNative.EnsureLoaded();
    }

    [SkippableFact]
    public void Compressed_model_round_trips_with_identical_logits()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var (config, tensors) = Compressed(sliceValuesAndNeurons: true);
        var output = temp.File("compressed");

        ModelFolderWriter.Write(output, config, tensors, Fixtures.Require(HfFixture));

        Assert.Equal(
            ["config.json", "model.safetensors", "tokenizer.model"],
            Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var reloaded = ModelCheckpoint.Open(output);
        Assert.Equal(config.Layers, reloaded.Config.Layers);
        Assert.Equal(new LayerShape(6, 6, 150, KeptPairs), reloaded.Config.Layers[1]);
        Assert.Equal(1 / Math.Sqrt(8), reloaded.Config.AttentionScale);
        Assert.Equal("float32", reloaded.Config.TorchDtype);
        Assert.True(reloaded.Config.IsCompressed);
        Assert.Equal(0f, MaxAbsDiff(Logits(reloaded), Logits(config, tensors)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(Fixtures.Require(HfFixture), "tokenizer.model")), File.ReadAllBytes(Path.Combine(output, "tokenizer.model")));
    }

    [SkippableFact]
    public void Pair_selection_equals_the_full_model_with_the_dropped_query_and_key_rows_zeroed()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var (config, tensors) = Compressed(sliceValuesAndNeurons: false);
        var output = temp.File("pairs-only");
        ModelFolderWriter.Write(output, config, tensors, Fixtures.Require(HfFixture));

        var (fullConfig, full) = Fixture();
        var zeroed = new Dictionary<string, torch.Tensor>(full, StringComparer.Ordinal);
        // Explicit, disposed Scalars: TorchSharp frees implicitly converted ones in the finalizer, which
        // can run while the native call still reads them.
        using var zero = 0f.ToScalar();
        foreach (var (projection, heads) in new[] { ("q_proj", 8), ("k_proj", 4) })
        {
            var name = $"model.layers.1.self_attn.{projection}.weight";
            var rows = new List<long>();
            for (var head = 0; head < heads; head++)
            {
                var kvHead = projection == "q_proj" ? head / 2 : head;
                foreach (var dropped in Enumerable.Range(0, HeadDim / 2).Except(KeptPairs[kvHead]))
                {
                    rows.Add((head * HeadDim) + dropped);
                    rows.Add((head * HeadDim) + dropped + (HeadDim / 2));
                }
            }

            zeroed[name] = full[name].clone().index_fill_(0, torch.tensor(rows.ToArray()), zero);
        }

        using var reloaded = ModelCheckpoint.Open(output);
        var compressed = Logits(reloaded);
        var diff = MaxAbsDiff(compressed, Logits(fullConfig, zeroed));
        Assert.True(diff < 1e-5f, $"max |Δlogit| = {diff}");

        // Guards against a vacuous pass: dropping the pairs must change the model.
        Assert.True(MaxAbsDiff(compressed, Logits(fullConfig, full)) > 1e-3f);
    }

    [SkippableFact]
    public void Writing_the_same_model_twice_gives_identical_bytes()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var (config, tensors) = Compressed(sliceValuesAndNeurons: true);
        var reversed = tensors.Reverse().ToDictionary(StringComparer.Ordinal);

        ModelFolderWriter.Write(temp.File("a"), config, tensors, Fixtures.Require(HfFixture));
        ModelFolderWriter.Write(temp.File("b"), config, reversed, Fixtures.Require(HfFixture));

        foreach (var file in new[] { "config.json", "model.safetensors", "tokenizer.model" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(temp.File("a"), file)), File.ReadAllBytes(Path.Combine(temp.File("b"), file)));
        }
    }

    [SkippableFact]
    public void A_tensor_with_a_wrong_shape_is_rejected_before_anything_is_written()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var (config, tensors) = Compressed(sliceValuesAndNeurons: true);
        var bad = new Dictionary<string, torch.Tensor>(tensors, StringComparer.Ordinal)
        {
            ["model.layers.1.mlp.down_proj.weight"] = torch.zeros(64, 151),
        };

        var error = Assert.Throws<A3InputException>(() => ModelFolderWriter.Write(temp.File("model"), config, bad, Fixtures.Require(HfFixture)));

        Assert.Equal(A3ErrorCodes.InvalidModelConfig, error.Code);
        Assert.Contains("model.layers.1.mlp.down_proj.weight", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [SkippableFact]
    public void Missing_and_unexpected_tensors_are_rejected()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var (config, tensors) = Compressed(sliceValuesAndNeurons: true);
        var missing = tensors.Where(pair => pair.Key != "model.norm.weight").ToDictionary(StringComparer.Ordinal);
        var extra = new Dictionary<string, torch.Tensor>(tensors, StringComparer.Ordinal) { ["lm_head.weight"] = torch.zeros(512, 64) };

        Assert.Contains("model.norm.weight", Assert.Throws<A3InputException>(() => ModelFolderWriter.Write(temp.File("m"), config, missing, Fixtures.Require(HfFixture))).Message, StringComparison.Ordinal);
        Assert.Contains("lm_head.weight", Assert.Throws<A3InputException>(() => ModelFolderWriter.Write(temp.File("m"), config, extra, Fixtures.Require(HfFixture))).Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [SkippableTheory]
    [InlineData("model.safetensors", false)]
    [InlineData("model.safetensors", true)]
    [InlineData("tokenizer.model", true)]
    [InlineData("a3-report.json", false)]
    [InlineData("a3-report.json", true)]
    [InlineData("", false)]
    public void A_write_that_fails_mid_way_leaves_no_temporary_folder_and_the_old_model_intact(string failAfter, bool byCancellation)
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var (fullConfig, full) = Fixture();
        var (config, tensors) = Compressed(sliceValuesAndNeurons: true);
        var output = temp.File("model");
        ModelFolderWriter.Write(output, fullConfig, full, Fixtures.Require(HfFixture));
        var before = Snapshot(output);
        using var cancellation = new CancellationTokenSource();
        var reported = new List<string>();
        var progress = new SynchronousProgress(file =>
        {
            reported.Add(file);
            if (file == failAfter)
            {
                // The temporary folder holds files by now, so cleanup is really exercised.
                Assert.NotEmpty(Directory.EnumerateDirectories(temp.Path, ".model.tmp-*").SelectMany(Directory.EnumerateFiles));
                if (byCancellation)
                {
                    cancellation.Cancel();
                }
                else
                {
                    throw new IOException("simulated disk failure");
                }
            }
        });

        // The report rides inside the same temporary folder, so a failure after it still leaves the old model.
        var report = new Dictionary<string, byte[]> { ["a3-report.json"] = "{}"u8.ToArray() };
        var write = () => ModelFolderWriter.Write(output, config, tensors, Fixtures.Require(HfFixture), progress: progress, additionalFiles: report, cancellationToken: cancellation.Token);

        if (byCancellation)
        {
            Assert.ThrowsAny<OperationCanceledException>(write);
        }
        else
        {
            Assert.Throws<IOException>(write);
        }

        Assert.Contains(failAfter, reported);
        Assert.Equal(["model"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName));
        Assert.Equal(before, Snapshot(output));
    }

    [SkippableFact]
    public void Additional_files_are_renamed_into_place_with_the_model_and_are_reported_before_the_rename()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var (config, tensors) = Compressed(sliceValuesAndNeurons: true);
        var output = temp.File("model");
        var reported = new List<string>();

        ModelFolderWriter.Write(
            output,
            config,
            tensors,
            Fixtures.Require(HfFixture),
            progress: new SynchronousProgress(reported.Add),
            additionalFiles: new Dictionary<string, byte[]> { ["a3-report.json"] = "{\"method\":\"a3\"}"u8.ToArray() });

        Assert.Equal("{\"method\":\"a3\"}", File.ReadAllText(Path.Combine(output, "a3-report.json")));
        Assert.True(reported.IndexOf("a3-report.json") < reported.IndexOf(string.Empty), string.Join(", ", reported));
    }

    [SkippableTheory]
    [InlineData("config.json")]
    [InlineData("model.safetensors")]
    [InlineData("tokenizer.model")]
    [InlineData("sub/a3-report.json")]
    [InlineData("")]
    public void An_additional_file_that_would_replace_or_escape_the_model_is_rejected_before_anything_is_written(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var (config, tensors) = Compressed(sliceValuesAndNeurons: true);

        Assert.Throws<ArgumentException>(() => ModelFolderWriter.Write(
            temp.File("model"), config, tensors, Fixtures.Require(HfFixture), additionalFiles: new Dictionary<string, byte[]> { [name] = [1] }));

        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [SkippableFact]
    public void An_already_cancelled_write_creates_nothing()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var (config, tensors) = Compressed(sliceValuesAndNeurons: true);

        Assert.ThrowsAny<OperationCanceledException>(
            () => ModelFolderWriter.Write(temp.File("model"), config, tensors, Fixtures.Require(HfFixture), cancellationToken: new CancellationToken(canceled: true)));

        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [SkippableFact]
    public void Writing_over_an_existing_model_replaces_it_completely()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var (fullConfig, full) = Fixture();
        var (config, tensors) = Compressed(sliceValuesAndNeurons: true);
        var output = temp.File("model");
        ModelFolderWriter.Write(output, fullConfig, full, Fixtures.Require(HfFixture), maxShardBytes: 64 << 10);
        Assert.True(File.Exists(Path.Combine(output, SafetensorsIndex.FileName)));

        ModelFolderWriter.Write(output, config, tensors, Fixtures.Require(HfFixture));

        Assert.Equal(["model"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName));
        Assert.Equal(
            ["config.json", "model.safetensors", "tokenizer.model"],
            Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var reloaded = ModelCheckpoint.Open(output);
        Assert.Equal(config.Layers, reloaded.Config.Layers);
    }

    [SkippableFact]
    public void Bfloat16_output_stores_bf16_tensors_and_reloads_within_bf16_tolerance()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var (config, tensors) = Compressed(sliceValuesAndNeurons: true);
        var output = temp.File("bf16");

        ModelFolderWriter.Write(output, config, tensors, Fixtures.Require(HfFixture), torch.ScalarType.BFloat16);

        using var reloaded = ModelCheckpoint.Open(output);
        Assert.Equal("bfloat16", reloaded.Config.TorchDtype);
        Assert.All(reloaded.Weights.Names, name => Assert.Equal(TensorDType.BFloat16, reloaded.Weights.Describe(name).DType));
        var dataBytes = 2 * tensors.Values.Sum(tensor => tensor.numel());
        var fileBytes = new FileInfo(Path.Combine(output, "model.safetensors")).Length;
        Assert.InRange(fileBytes - dataBytes, 8, 8 << 10);
        var logits = Logits(reloaded);

        // Widening bf16 to float32 is exact, so the reloaded model is exactly the float32 model with bf16-rounded weights.
        var rounded = tensors.ToDictionary(pair => pair.Key, pair => pair.Value.to(torch.bfloat16).to(torch.float32), StringComparer.Ordinal);
        Assert.Equal(0f, MaxAbsDiff(logits, Logits(config, rounded)));
        var reference = Logits(config, tensors);
        var diff = MaxAbsDiff(logits, reference);
        var scale = reference.abs().max().item<float>();
        Assert.True(diff > 0f && diff < 0.05f * scale, $"max |Δlogit| = {diff} at logit scale {scale}");
    }

    [SkippableFact]
    public void Sharded_output_reloads_with_identical_logits()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var (config, tensors) = Compressed(sliceValuesAndNeurons: true);
        var output = temp.File("sharded");

        ModelFolderWriter.Write(output, config, tensors, Fixtures.Require(HfFixture), maxShardBytes: 64 << 10);

        var shards = Directory.EnumerateFiles(output, "model-*-of-*.safetensors").ToArray();
        Assert.True(shards.Length > 1, $"{shards.Length} shard(s) written");
        Assert.True(File.Exists(Path.Combine(output, SafetensorsIndex.FileName)));
        Assert.False(File.Exists(Path.Combine(output, "model.safetensors")));
        using var reloaded = ModelCheckpoint.Open(output);
        Assert.Equal(0f, MaxAbsDiff(Logits(reloaded), Logits(config, tensors)));
    }

    [SkippableFact]
    public void Footprint_of_the_reloaded_config_counts_the_sliced_layer()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var (config, tensors) = Compressed(sliceValuesAndNeurons: true);
        var output = temp.File("compressed");
        ModelFolderWriter.Write(output, config, tensors, Fixtures.Require(HfFixture));
        using var reloaded = ModelCheckpoint.Open(output);

        var footprint = ModelFootprint.Compute(reloaded.Config, bytesPerElement: 4, context: 1);

        // Full layer: q 8·8·64 + k 4·8·64 + v 4·8·64 + o 64·8·8 = 12288, MLP 3·64·172 = 33024.
        // Layer 1: q 8·6·64 + k 4·6·64 + v 4·6·64 + o 64·8·6 = 9216, MLP 3·64·150 = 28800.
        const long expected = (4 * (12288 + 33024)) + 9216 + 28800;
        Assert.Equal(expected, footprint.DecoderLinearParameters);
        Assert.Equal(9216, footprint.Layers[1].AttentionParameters);
        Assert.Equal(28800, footprint.Layers[1].MlpParameters);
        var stored = reloaded.Weights.Names
            .Where(name => name.Contains("_proj.", StringComparison.Ordinal))
            .Sum(name => reloaded.Weights.Describe(name).ElementCount);
        Assert.Equal(expected, stored);
    }

    [SkippableFact]
    public void A_llama2c_source_gets_its_sentencepiece_model_as_tokenizer_model()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var source = Fixtures.Require(Llama2cFixture);
        using var original = ModelCheckpoint.Open(source);
        var tensors = Load(original);
        var output = temp.File("from-llama2c");

        ModelFolderWriter.Write(output, original.Config, tensors, source);

        Assert.Equal(
            File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(source)!, "tok512.model")),
            File.ReadAllBytes(Path.Combine(output, "tokenizer.model")));
        using var reloaded = ModelCheckpoint.Open(output);
        Assert.Equal(0f, MaxAbsDiff(Logits(reloaded), Logits(original)));
        const string text = "Once upon a time, there was a little girl.";
        Assert.Equal(original.Tokenizer.Encode(text), reloaded.Tokenizer.Encode(text));
    }

    [SkippableFact]
    public void A_llama2c_source_with_only_a_binary_tokenizer_keeps_it_and_reopens()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var fixtureFolder = Path.GetDirectoryName(Fixtures.Require(Llama2cFixture))!;
        var sourceFolder = temp.File("source");
        Directory.CreateDirectory(sourceFolder);
        File.Copy(Path.Combine(fixtureFolder, "stories260K.bin"), Path.Combine(sourceFolder, "stories260K.bin"));
        File.Copy(Path.Combine(fixtureFolder, "tok512.bin"), Path.Combine(sourceFolder, "tok512.bin"));
        var source = Path.Combine(sourceFolder, "stories260K.bin");
        using var original = ModelCheckpoint.Open(source);
        var output = temp.File("from-llama2c");

        ModelFolderWriter.Write(output, original.Config, Load(original), source);

        Assert.Equal(
            ["config.json", "model.safetensors", "tok512.bin"],
            Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var reloaded = ModelCheckpoint.Open(output);
        const string text = "Once upon a time, there was a little girl.";
        Assert.Equal(original.Tokenizer.Encode(text), reloaded.Tokenizer.Encode(text));
    }

    [SkippableFact]
    public void A_source_without_a_tokenizer_is_rejected_before_anything_is_written()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempFolder();
        var (config, tensors) = Compressed(sliceValuesAndNeurons: true);
        var empty = temp.File("empty");
        Directory.CreateDirectory(empty);

        var error = Assert.Throws<A3InputException>(() => ModelFolderWriter.Write(temp.File("model"), config, tensors, empty));

        Assert.Equal(A3ErrorCodes.InvalidTokenizer, error.Code);
        Assert.Equal(["empty"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    private static (ModelConfig Config, Dictionary<string, torch.Tensor> Tensors) Fixture() => Stories260KVariants.Fixture();

    private static Dictionary<string, torch.Tensor> Load(ModelCheckpoint checkpoint) => Stories260KVariants.Load(checkpoint);

    private static (ModelConfig Config, Dictionary<string, torch.Tensor> Tensors) Compressed(bool sliceValuesAndNeurons) =>
        Stories260KVariants.Compressed(sliceValuesAndNeurons);

    private static torch.Tensor Tokens()
    {
        var ids = Enumerable.Range(0, 40).Select(i => (long)(((i * 37) + 1) % 512)).ToArray();
        return torch.tensor(ids, [1, ids.Length]);
    }

    private static torch.Tensor Logits(ModelCheckpoint checkpoint)
    {
        using var model = checkpoint.CreateModel(torch.CPU, torch.float32);
        return model.Forward(Tokens());
    }

    private static torch.Tensor Logits(ModelConfig config, IReadOnlyDictionary<string, torch.Tensor> tensors)
    {
        using var weights = new InMemoryWeightSource(tensors.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.clone())));
        using var model = DecoderModel.Load(config, weights, torch.CPU, torch.float32);
        return model.Forward(Tokens());
    }

    private static float MaxAbsDiff(torch.Tensor a, torch.Tensor b) => (a - b).abs().max().item<float>();

    private static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder).ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes, StringComparer.Ordinal);
}
