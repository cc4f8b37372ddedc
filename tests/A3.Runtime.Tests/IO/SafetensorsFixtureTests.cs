using A3.Runtime.IO;
using A3.Runtime.Native;
using A3.Tests;
using TorchSharp;

namespace A3.Runtime.Tests.IO;

public sealed class SafetensorsFixtureTests : IDisposable
{
    private const string Fixture = "hf/stories260K-llama/model.safetensors";
    private readonly TempFolder folder = new();

    public SafetensorsFixtureTests()
    {
        TorchNative.EnsureLoaded();
    }

    public void Dispose() => folder.Dispose();

    [SkippableFact]
    public void Stories260K_has_47_tensors_with_the_documented_shapes()
    {
        using var file = SafetensorsFile.Open(Fixtures.Require(Fixture));

        Assert.Equal(4848, file.Header.HeaderLength);
        Assert.Equal(ExpectedShapes().Keys.Order(StringComparer.Ordinal), file.Names);
        foreach (var (name, shape) in ExpectedShapes())
        {
            var descriptor = file.Describe(name);
            Assert.Equal(TensorDType.Float32, descriptor.DType);
            Assert.Equal(shape, descriptor.Shape);
        }

        Assert.Equal("pt", file.Header.Metadata["format"]);
        Assert.False(file.Contains("lm_head.weight"));
    }

    [SkippableFact]
    public void Loaded_values_are_the_bytes_in_the_file()
    {
        var path = Fixtures.Require(Fixture);
        var bytes = File.ReadAllBytes(path);
        using var file = SafetensorsFile.Open(path);
        var entry = file.GetEntry("model.layers.0.self_attn.k_proj.weight");

        using var scope = torch.NewDisposeScope();
        var k = file.Load(entry.Name, torch.ScalarType.Float32, torch.CPU);
        Assert.Equal([32L, 64L], k.shape);
        var dataStart = 8 + 4848;
        for (var row = 0; row < 32; row += 7)
        {
            for (var column = 0; column < 64; column += 9)
            {
                var expected = BitConverter.ToSingle(bytes, (int)(dataStart + entry.Begin + (4 * ((row * 64) + column))));
                Assert.Equal(expected, k[row, column].ToSingle());
            }
        }

        var asBf16 = file.Load(entry.Name, torch.ScalarType.BFloat16, torch.CPU);
        Assert.Equal(torch.ScalarType.BFloat16, asBf16.dtype);
    }

    [SkippableFact]
    public void Fixture_rewritten_by_the_writer_reads_back_identically()
    {
        using var source = SafetensorsWeightSource.Open(Path.GetDirectoryName(Fixtures.Require(Fixture))!);
        using var scope = torch.NewDisposeScope();
        var tensors = source.Names.ToDictionary(name => name, name => source.Load(name, torch.ScalarType.Float32, torch.CPU));
        var copy = folder.File("copy.safetensors");
        SafetensorsWriter.Write(copy, tensors, new Dictionary<string, string> { ["format"] = "pt" });

        using var reread = SafetensorsFile.Open(copy);
        Assert.Equal(source.Names, reread.Names);
        foreach (var (name, tensor) in tensors)
        {
            SafetensorsRoundTripTests.AssertSameBits(tensor, reread.Load(name, torch.ScalarType.Float32, torch.CPU), name);
        }
    }

    internal static Dictionary<string, long[]> ExpectedShapes()
    {
        var shapes = new Dictionary<string, long[]>
        {
            ["model.embed_tokens.weight"] = [512, 64],
            ["model.norm.weight"] = [64],
        };
        for (var i = 0; i < 5; i++)
        {
            var layer = $"model.layers.{i}.";
            shapes[layer + "input_layernorm.weight"] = [64];
            shapes[layer + "self_attn.q_proj.weight"] = [64, 64];
            shapes[layer + "self_attn.k_proj.weight"] = [32, 64];
            shapes[layer + "self_attn.v_proj.weight"] = [32, 64];
            shapes[layer + "self_attn.o_proj.weight"] = [64, 64];
            shapes[layer + "post_attention_layernorm.weight"] = [64];
            shapes[layer + "mlp.gate_proj.weight"] = [172, 64];
            shapes[layer + "mlp.up_proj.weight"] = [172, 64];
            shapes[layer + "mlp.down_proj.weight"] = [64, 172];
        }

        Assert.Equal(47, shapes.Count);
        return shapes;
    }
}
