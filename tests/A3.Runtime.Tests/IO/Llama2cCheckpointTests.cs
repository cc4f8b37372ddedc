using System.Runtime.InteropServices;
using A3.Runtime.IO;
using A3.Runtime.Native;
using A3.Tests;
using TorchSharp;

namespace A3.Runtime.Tests.IO;

public sealed class Llama2cCheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("a3-llama2c-").FullName;

    public Llama2cCheckpointTests() => TorchNative.EnsureLoaded();

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [SkippableFact]
    public void Stories260K_imports_with_the_fixture_config()
    {
        using var model = Llama2cCheckpoint.Read(Fixtures.Require("llama2c/stories260K/stories260K.bin"));
        var config = model.Config;

        Assert.Equal("LlamaForCausalLM", config.Architecture);
        Assert.Equal((64, 172, 5, 8, 4, 512, 512), (config.HiddenSize, config.IntermediateSize, config.NumLayers, config.NumAttentionHeads, config.NumKeyValueHeads, config.VocabSize, config.MaxPositionEmbeddings));
        Assert.Equal(8, config.OriginalHeadDim);
        Assert.True(config.TieWordEmbeddings);
        Assert.Equal((1e-5, 10000.0, 1, 2), (config.RmsNormEps, config.RopeTheta, config.BosTokenId, config.EosTokenId));
        Assert.False(config.IsCompressed);
        Assert.DoesNotContain("lm_head.weight", model.Weights.Names);
        Assert.Equal(2 + (5 * 9), model.Weights.Names.Count);
    }

    [SkippableFact]
    public void Stories260K_import_equals_the_hugging_face_fixture_exactly()
    {
        var binPath = Fixtures.Require("llama2c/stories260K/stories260K.bin");
        var hfFolder = Fixtures.Require("hf/stories260K-llama");
        using var expected = SafetensorsWeightSource.Open(hfFolder);
        var hfConfig = HuggingFaceConfigReader.Read(Path.Combine(hfFolder, "config.json"));
        using var model = Llama2cCheckpoint.Read(binPath);

        Assert.Equal(expected.Names, model.Weights.Names.Order(StringComparer.Ordinal));
        foreach (var name in model.Weights.Names)
        {
            using var scope = torch.NewDisposeScope();
            Assert.Equal(TensorDType.Float32, model.Weights.Describe(name).DType);
            Assert.Equal(expected.Describe(name).Shape, model.Weights.Describe(name).Shape);
            var actual = model.Weights.Load(name, torch.float32, torch.CPU);
            var reference = expected.Load(name, torch.float32, torch.CPU);
            var maxAbsDiff = (actual - reference).abs().max().item<float>();
            Assert.True(maxAbsDiff == 0, $"{name} differs by up to {maxAbsDiff}");
        }

        IReadOnlyList<A3.Runtime.Model.LayerShape> none = [];
        Assert.Equal(hfConfig with { Layers = none, SourceJson = null }, model.Config with { Layers = none });
        Assert.Equal(hfConfig.Layers, model.Config.Layers);
    }

    [SkippableFact]
    public void Aidreams260K_imports_as_multi_head_attention_with_head_size_16()
    {
        using var model = Llama2cCheckpoint.Read(Fixtures.Require("llama2c/aidreams260K/aidreams260K.bin"));

        Assert.Equal(4, model.Config.NumLayers);
        Assert.Equal(4, model.Config.NumAttentionHeads);
        Assert.Equal(4, model.Config.NumKeyValueHeads);
        Assert.Equal(16, model.Config.OriginalHeadDim);
        Assert.Equal(128, model.Config.MaxPositionEmbeddings);
        Assert.Equal(0.25, model.Config.AttentionScale);
        Assert.Equal([64L, 64L], model.Weights.Describe("model.layers.3.self_attn.k_proj.weight").Shape);
        Assert.Equal(8, model.Config.Layers[3].RopePairs[0].Count);
    }

    [SkippableFact]
    public void Truncated_or_extended_files_name_the_expected_and_actual_sizes()
    {
        var original = File.ReadAllBytes(Fixtures.Require("llama2c/stories260K/stories260K.bin"));
        var truncated = Path.Combine(folder, "truncated.bin");
        var extended = Path.Combine(folder, "extended.bin");
        File.WriteAllBytes(truncated, original[..^4]);
        File.WriteAllBytes(extended, [.. original, 0, 0, 0, 0]);

        var shortError = Assert.Throws<A3InputException>(() => Llama2cCheckpoint.Read(truncated));
        var longError = Assert.Throws<A3InputException>(() => Llama2cCheckpoint.Read(extended));

        Assert.Equal(A3ErrorCodes.InvalidLlama2cCheckpoint, shortError.Code);
        Assert.Equal(truncated, shortError.FilePath);
        Assert.Contains("1056536 bytes", shortError.Message, StringComparison.Ordinal);
        Assert.Contains("exactly 1056540 bytes", shortError.Message, StringComparison.Ordinal);
        Assert.Equal(extended, longError.FilePath);
        Assert.Contains("1056544 bytes", longError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unshared_classifier_and_the_rope_permutation_are_read_from_a_synthetic_file()
    {
        // dim 4, hidden 6, 1 layer, 2 heads of size 2, 1 kv head, vocab -5 (unshared), seq_len 3.
        int[] header = [4, 6, 1, 2, 1, -5, 3];
        var floatCount = (5 * 4) + 4 + 16 + 8 + 8 + 16 + 4 + (3 * 24) + 4 + (2 * 3 * 1) + (5 * 4);
        var values = Enumerable.Range(0, floatCount).Select(i => (float)i).ToArray();
        var path = Path.Combine(folder, "tiny.bin");
        File.WriteAllBytes(path, [.. MemoryMarshal.AsBytes(header.AsSpan()), .. MemoryMarshal.AsBytes(values.AsSpan())]);

        using var model = Llama2cCheckpoint.Read(path);
        using var scope = torch.NewDisposeScope();

        Assert.False(model.Config.TieWordEmbeddings);
        Assert.Equal(5, model.Config.VocabSize);
        var lmHead = model.Weights.Load("lm_head.weight", torch.float32, torch.CPU);
        Assert.Equal(values[^20..], lmHead.data<float>().ToArray());

        // wq starts after embed (20) and rms_att (4); head size 2 has one pair, so rows stay in place.
        var q = model.Weights.Load("model.layers.0.self_attn.q_proj.weight", torch.float32, torch.CPU);
        Assert.Equal(values[24..40], q.data<float>().ToArray());
        var norm = model.Weights.Load("model.norm.weight", torch.float64, torch.CPU);
        Assert.Equal(torch.ScalarType.Float64, norm.dtype);
        Assert.Equal(values[(floatCount - 20 - 6 - 4)..(floatCount - 26)].Select(v => (double)v), norm.data<double>().ToArray());
    }

    [Fact]
    public void Interleaved_to_rotate_half_matches_the_reshape_transpose_definition()
    {
        const int heads = 3, headDim = 8, columns = 5;
        var weight = Enumerable.Range(0, heads * headDim * columns).Select(i => (float)i).ToArray();
        using var scope = torch.NewDisposeScope();
        var expected = torch.tensor(weight, [heads * headDim, columns])
            .reshape(heads, headDim / 2, 2, columns).transpose(1, 2).reshape(heads * headDim, columns)
            .contiguous().data<float>().ToArray();

        Assert.Equal(expected, Llama2cCheckpoint.InterleavedToRotateHalf(weight, heads, headDim, columns));
    }

    [Fact]
    public void Invalid_headers_are_rejected()
    {
        var badHeads = Path.Combine(folder, "heads.bin");
        File.WriteAllBytes(badHeads, MemoryMarshal.AsBytes(new[] { 64, 172, 5, 8, 3, 512, 512 }.AsSpan()).ToArray());
        var tooShort = Path.Combine(folder, "short.bin");
        File.WriteAllBytes(tooShort, [1, 2, 3]);
        var versioned = Path.Combine(folder, "v1.bin");
        File.WriteAllBytes(versioned, MemoryMarshal.AsBytes(new[] { 0x616b3432, 1, 64, 172, 5, 8, 4, 512 }.AsSpan()).ToArray());

        Assert.Contains("n_kv_heads", Assert.Throws<A3InputException>(() => Llama2cCheckpoint.Read(badHeads)).Message, StringComparison.Ordinal);
        Assert.Contains("header", Assert.Throws<A3InputException>(() => Llama2cCheckpoint.Read(tooShort)).Message, StringComparison.Ordinal);
        Assert.Contains("ak42", Assert.Throws<A3InputException>(() => Llama2cCheckpoint.Read(versioned)).Message, StringComparison.Ordinal);
        Assert.Equal(A3ErrorCodes.FileNotFound, Assert.Throws<A3InputException>(() => Llama2cCheckpoint.Read(Path.Combine(folder, "absent.bin"))).Code);
    }

    [Fact]
    public void In_memory_source_returns_copies_and_rejects_unknown_names()
    {
        var source = new InMemoryWeightSource([new("w", torch.ones(2, 3))], "origin.bin");
        using (var copy = source.Load("w", torch.float32, torch.CPU))
        {
            copy.zero_();
        }

        using (var again = source.Load("w", torch.float32, torch.CPU))
        {
            Assert.Equal(6f, again.sum().item<float>());
        }

        var error = Assert.Throws<A3InputException>(() => source.Describe("missing"));
        Assert.Equal("origin.bin", error.FilePath);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
        source.Dispose();
        Assert.Throws<ObjectDisposedException>(() => source.Load("w", torch.float32, torch.CPU));
    }
}
