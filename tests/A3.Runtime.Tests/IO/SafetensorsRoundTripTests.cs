using System.Text;
using A3.Runtime.IO;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Runtime.Tests.IO;

public sealed class SafetensorsRoundTripTests : IDisposable
{
    private readonly TempFolder folder = new();

    public SafetensorsRoundTripTests()
    {
        TorchNative.EnsureLoaded();
    }

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData(torch.ScalarType.Float32, "F32")]
    [InlineData(torch.ScalarType.Float16, "F16")]
    [InlineData(torch.ScalarType.BFloat16, "BF16")]
    [InlineData(torch.ScalarType.Float64, "F64")]
    public void Written_tensors_read_back_exactly(torch.ScalarType dtype, string expectedDType)
    {
        using var scope = torch.NewDisposeScope();
        var tensors = RandomTensors(seed: 7, dtype);
        var path = folder.File("round.safetensors");
        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), file.Names);
        Assert.Equal("pt", file.Header.Metadata["format"]);
        foreach (var (name, original) in tensors)
        {
            Assert.Equal(expectedDType, file.GetEntry(name).DType);
            Assert.Equal(original.shape, file.Describe(name).Shape);
            var stored = file.Load(name, dtype, torch.CPU);
            Assert.Equal(dtype, stored.dtype);
            Assert.Equal(original.shape, stored.shape);
            AssertSameBits(original, stored, $"{name} in {dtype}");

            var widened = file.Load(name, torch.ScalarType.Float32, torch.CPU);
            Assert.Equal(torch.ScalarType.Float32, widened.dtype);
            AssertSameBits(original.to(torch.ScalarType.Float32), widened, $"{name} widened to float32");
        }
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(6L)]
    [InlineData(1000L)]
    public void Chunked_copy_gives_the_same_tensor(long chunkBytes)
    {
        // Tensors over 2 GB are too heavy for CI; a tiny chunk size drives the same multi-step
        // copy that they need, including chunks that are not a multiple of the element size.
        using var scope = torch.NewDisposeScope();
        var tensors = RandomTensors(seed: 11, torch.ScalarType.Float32);
        // Explicit, disposed Scalars, the step included (the shorter overloads convert a default 1
        // implicitly): TorchSharp frees implicit ones in the finalizer, which can run while the native
        // call still reads them.
        using var start = 0.ToScalar();
        using var stop = 999.ToScalar();
        using var step = 1.ToScalar();
        tensors["odd.bf16"] = torch.arange(start, stop, step, dtype: torch.ScalarType.Float32).reshape(27, 37).to(torch.ScalarType.BFloat16);
        var path = folder.File("chunked.safetensors");
        SafetensorsWriter.Write(path, tensors);

        using var file = SafetensorsFile.Open(path);
        file.CopyChunkSize = chunkBytes;
        foreach (var (name, original) in tensors)
        {
            var loaded = file.Load(name, original.dtype, torch.CPU);
            AssertSameBits(original, loaded, $"{name} with {chunkBytes}-byte chunks");
        }
    }

    [Fact]
    public void Same_tensors_give_byte_identical_files_whatever_the_insertion_order()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = RandomTensors(seed: 3, torch.ScalarType.Float16);
        var reversed = tensors.Reverse().ToDictionary(pair => pair.Key, pair => pair.Value);
        var metadata = new Dictionary<string, string> { ["z"] = "1", ["a"] = "2" };
        var reversedMetadata = metadata.Reverse().ToDictionary(pair => pair.Key, pair => pair.Value);

        SafetensorsWriter.Write(folder.File("one.safetensors"), tensors, metadata);
        SafetensorsWriter.Write(folder.File("two.safetensors"), tensors, metadata);
        SafetensorsWriter.Write(folder.File("three.safetensors"), reversed, reversedMetadata);

        var one = File.ReadAllBytes(folder.File("one.safetensors"));
        Assert.Equal(one, File.ReadAllBytes(folder.File("two.safetensors")));
        Assert.Equal(one, File.ReadAllBytes(folder.File("three.safetensors")));
    }

    [Fact]
    public void Header_layout_is_fixed_and_padded_to_eight_bytes()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = new Dictionary<string, torch.Tensor>
        {
            ["b"] = torch.tensor(new[] { 1f, 2f }),
            ["a"] = torch.tensor(new[] { 3f }),
        };
        var path = folder.File("layout.safetensors");
        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });

        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BitConverter.ToUInt64(bytes, 0);
        Assert.Equal(0, headerLength % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        const string expected =
            "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        Assert.Equal(expected, header.TrimEnd(' '));
        Assert.Equal(expected.Length + ((8 - (expected.Length % 8)) % 8), headerLength);
        Assert.Equal(8 + headerLength + 12, bytes.Length);
        Assert.Equal(3f, BitConverter.ToSingle(bytes, 8 + headerLength));
        Assert.Equal(2f, BitConverter.ToSingle(bytes, 8 + headerLength + 8));
    }

    [Fact]
    public void Writer_failure_leaves_no_file_and_no_temporary_file()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = new Dictionary<string, torch.Tensor>
        {
            ["a"] = torch.ones(3),
            ["b"] = torch.ones(3, dtype: torch.ScalarType.Int64),
            ["c"] = torch.ones(3),
        };
        var path = folder.File("out.safetensors");

        var error = Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, tensors));
        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Failure_after_writing_removes_the_temporary_file_and_keeps_the_target()
    {
        using var scope = torch.NewDisposeScope();

        // A folder where the file should go makes the final rename fail after all data is written.
        var path = folder.File("blocked.safetensors");
        Directory.CreateDirectory(path);

        Assert.ThrowsAny<IOException>(() => SafetensorsWriter.Write(path, new Dictionary<string, torch.Tensor> { ["a"] = torch.ones(4) }));
        Assert.Equal([path], Directory.GetFileSystemEntries(folder.Path));
        Assert.Empty(Directory.GetFileSystemEntries(path));
    }

    [Fact]
    public void Writing_replaces_an_existing_file()
    {
        using var scope = torch.NewDisposeScope();
        var path = folder.File("replace.safetensors");
        File.WriteAllText(path, "old");

        SafetensorsWriter.Write(path, new Dictionary<string, torch.Tensor> { ["a"] = torch.ones(2) });

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(["a"], file.Names);
        Assert.Single(Directory.GetFileSystemEntries(folder.Path));
    }

    /// <summary>Asserts equal dtype, shape and bits (exact, unlike a tolerance-based comparison).</summary>
    internal static void AssertSameBits(torch.Tensor expected, torch.Tensor actual, string what)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        using var e = expected.cpu().contiguous();
        using var a = actual.cpu().contiguous();
        Assert.True(e.bytes.SequenceEqual(a.bytes), $"{what}: the data differs");
    }

    internal static Dictionary<string, torch.Tensor> RandomTensors(int seed, torch.ScalarType dtype)
    {
        var random = new Random(seed);
        var shapes = new Dictionary<string, long[]>
        {
            ["model.embed_tokens.weight"] = [17, 8],
            ["model.layers.0.self_attn.q_proj.weight"] = [8, 8],
            ["model.layers.10.mlp.down_proj.weight"] = [8, 5],
            ["model.norm.weight"] = [8],
            ["scalar"] = [],
            ["empty"] = [0, 3],
            ["cube"] = [3, 4, 5],
        };
        var tensors = new Dictionary<string, torch.Tensor>();
        foreach (var (name, shape) in shapes)
        {
            var count = shape.Aggregate(1L, (a, b) => a * b);
            var values = Enumerable.Range(0, (int)count).Select(_ => (float)((random.NextDouble() * 8) - 4)).ToArray();
            tensors[name] = torch.tensor(values).reshape(shape).to(dtype);
        }

        return tensors;
    }
}
