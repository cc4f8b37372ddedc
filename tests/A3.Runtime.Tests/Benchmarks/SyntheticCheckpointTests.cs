using A3.Recipes;
using A3.Runtime.Benchmarks;
using A3.Runtime.IO;
using A3.Runtime.Model;
using A3.Runtime.Tests.IO;
using A3.Tests;
using TorchSharp;

namespace A3.Runtime.Tests.Benchmarks;

/// <summary>Synthetic checkpoints: deterministic, loadable, faithful to their preset, finite when run.</summary>
public sealed class SyntheticCheckpointTests : IDisposable
{
    private const string StoriesTokenizer = "hf/stories260K-llama/tokenizer.model";

    /// <summary>A Qwen2-like shape at toy widths: q/k/v biases, untied head, GQA, a vocabulary past the tokenizer's 512 ids.</summary>
    private static readonly SyntheticModelPreset TinyQwen = SyntheticModelPresets.Qwen25_7B with
    {
        Name = "tiny-qwen2",
        HiddenSize = 32,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = 8,
        IntermediateSize = 48,
        VocabSize = 520,
        MaxPositionEmbeddings = 64,
        BosTokenId = 1,
        EosTokenId = 2,
        TokenizerFixture = StoriesTokenizer,
    };

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [SkippableFact]
    public void Same_arguments_give_a_byte_identical_sharded_folder()
    {
        var tokenizer = Fixtures.Require(StoriesTokenizer);
        var config = SyntheticModelPresets.Stories260K.ToConfig(2);
        var first = folder.File("first");
        var second = folder.File("second");

        // Small shards, so the index and several shard files are part of what must repeat.
        SyntheticCheckpointWriter.Write(first, config, tokenizer, seed: 7, maxShardBytes: 40_000);
        SyntheticCheckpointWriter.Write(second, config, tokenizer, seed: 7, maxShardBytes: 40_000);

        var files = Directory.GetFiles(first).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Contains(SafetensorsIndex.FileName, files);
        Assert.Contains(ModelFiles.SentencePieceModelFileName, files);
        Assert.True(files.Count(name => name!.EndsWith(".safetensors", StringComparison.Ordinal)) > 1, string.Join(", ", files));
        Assert.Equal(files, Directory.GetFiles(second).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var name in files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, name!)), File.ReadAllBytes(Path.Combine(second, name!)));
        }
    }

    [SkippableFact]
    public void Another_seed_gives_other_weights_and_the_same_config()
    {
        var tokenizer = Fixtures.Require(StoriesTokenizer);
        var config = SyntheticModelPresets.Stories260K.ToConfig(1);
        SyntheticCheckpointWriter.Write(folder.File("a"), config, tokenizer, seed: 1);
        SyntheticCheckpointWriter.Write(folder.File("b"), config, tokenizer, seed: 2);

        Assert.Equal(File.ReadAllBytes(Path.Combine(folder.File("a"), "config.json")), File.ReadAllBytes(Path.Combine(folder.File("b"), "config.json")));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(folder.File("a"), "model.safetensors")), File.ReadAllBytes(Path.Combine(folder.File("b"), "model.safetensors")));
    }

    [SkippableFact]
    public void Checkpoint_opens_with_the_presets_config_and_every_tensor()
    {
        var tokenizer = Fixtures.Require(StoriesTokenizer);
        SyntheticCheckpointWriter.Write(folder.File("qwen"), TinyQwen.ToConfig(3), tokenizer, seed: 3);

        using var checkpoint = ModelCheckpoint.Open(folder.File("qwen"));
        checkpoint.VerifyTensors();
        var config = checkpoint.Config;
        Assert.Equal((TinyQwen.Architecture, TinyQwen.ModelType), (config.Architecture, config.ModelType));
        Assert.Equal((TinyQwen.HiddenSize, TinyQwen.NumAttentionHeads, TinyQwen.NumKeyValueHeads, TinyQwen.HeadDim), (config.HiddenSize, config.NumAttentionHeads, config.NumKeyValueHeads, config.OriginalHeadDim));
        Assert.Equal((TinyQwen.IntermediateSize, TinyQwen.VocabSize, TinyQwen.MaxPositionEmbeddings, 3), (config.IntermediateSize, config.VocabSize, config.MaxPositionEmbeddings, config.NumLayers));
        Assert.Equal((TinyQwen.RopeTheta, TinyQwen.RmsNormEps), (config.RopeTheta, config.RmsNormEps));
        Assert.Equal((TinyQwen.AttentionBias, TinyQwen.TieWordEmbeddings, TinyQwen.BosTokenId, TinyQwen.EosTokenId), (config.AttentionBias, config.TieWordEmbeddings, config.BosTokenId, config.EosTokenId));
        Assert.Equal(TorchDtypeNames.BFloat16, config.TorchDtype);
        Assert.False(config.IsCompressed);
        Assert.True(checkpoint.Weights.Contains(TensorNames.LmHead));
        Assert.True(checkpoint.Weights.Contains(TensorNames.Layer(2).Query.Bias));
    }

    [SkippableFact]
    public void Weights_have_the_initialisation_scales_and_norms_are_one()
    {
        var tokenizer = Fixtures.Require(StoriesTokenizer);
        SyntheticCheckpointWriter.Write(folder.File("scales"), TinyQwen.ToConfig(1), tokenizer, seed: 4, dtype: torch.ScalarType.Float32);

        using var checkpoint = ModelCheckpoint.Open(folder.File("scales"));
        using var scope = torch.NewDisposeScope();
        var names = TensorNames.Layer(0);
        var norm = checkpoint.Weights.Load(names.InputNorm, torch.ScalarType.Float32, torch.CPU);
        Assert.True(norm.eq(1).all().item<bool>());

        // 520 × 32 = 16,640 standard-normal draws scaled by the initializer range: the sample standard deviation is within
        // a few percent of 0.02 (its relative standard error is 1/sqrt(2n), about 0.55 %), and the mean within a few 0.02/sqrt(n).
        var embedding = checkpoint.Weights.Load(TensorNames.Embeddings, torch.ScalarType.Float32, torch.CPU);
        Assert.InRange(embedding.std().item<float>(), 0.02 * 0.97, 0.02 * 1.03);
        Assert.InRange(embedding.mean().item<float>(), -5 * 0.02 / Math.Sqrt(embedding.numel()), 5 * 0.02 / Math.Sqrt(embedding.numel()));
        var bias = checkpoint.Weights.Load(names.Query.Bias, torch.ScalarType.Float32, torch.CPU);
        Assert.True(bias.abs().max().item<float>() > 0);
    }

    [SkippableTheory]
    [InlineData("stories260k")]
    [InlineData("tiny-qwen2")]
    public void Forward_pass_over_the_checkpoint_is_finite(string preset)
    {
        var shape = preset == TinyQwen.Name ? TinyQwen : SyntheticModelPresets.Find(preset)!;
        var tokenizer = Fixtures.Require(StoriesTokenizer);
        SyntheticCheckpointWriter.Write(folder.File(preset), shape.ToConfig(2), tokenizer, seed: 5);

        using var checkpoint = ModelCheckpoint.Open(folder.File(preset));
        using var model = checkpoint.CreateModel(torch.CPU, torch.ScalarType.Float32);
        using var scope = torch.NewDisposeScope();
        var ids = torch.randint(0, shape.VocabSize, [2, 16], torch.ScalarType.Int64, generator: new torch.Generator(9));
        var logits = model.Forward(ids);

        Assert.Equal(new long[] { 2, 16, shape.VocabSize }, logits.shape);
        Assert.True(torch.isfinite(logits).all().item<bool>());
        Assert.True(logits.abs().max().item<float>() > 0);
    }
}
