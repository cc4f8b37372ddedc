using A3.Runtime.IO;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Runtime.Tests.IO;

/// <summary>Tensors produced one at a time are written with exactly the bytes the in-memory writer gives the same tensors.</summary>
public sealed class SafetensorsStreamingTests : IDisposable
{
    private static readonly Dictionary<string, string> Metadata = new(StringComparer.Ordinal) { ["format"] = "pt" };
    private readonly TempFolder folder = new();

    public SafetensorsStreamingTests()
    {
        TorchNative.EnsureLoaded();
    }

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData(torch.ScalarType.Float32)]
    [InlineData(torch.ScalarType.BFloat16)]
    public void Streamed_file_has_the_in_memory_writers_bytes(torch.ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var tensors = SafetensorsRoundTripTests.RandomTensors(seed: 3, dtype);

        SafetensorsWriter.Write(folder.File("memory.safetensors"), tensors, Metadata);
        SafetensorsWriter.Write(folder.File("streamed.safetensors"), Streamed(tensors), Metadata);

        Assert.Equal(File.ReadAllBytes(folder.File("memory.safetensors")), File.ReadAllBytes(folder.File("streamed.safetensors")));
    }

    [Fact]
    public void Streamed_shards_and_index_have_the_in_memory_writers_bytes()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = SafetensorsRoundTripTests.RandomTensors(seed: 4, torch.ScalarType.Float32);
        var memory = Directory.CreateDirectory(folder.File("memory")).FullName;
        var streamed = Directory.CreateDirectory(folder.File("streamed")).FullName;

        var memoryFiles = SafetensorsWriter.WriteSharded(memory, tensors, maxShardBytes: 300, Metadata);
        var streamedFiles = SafetensorsWriter.WriteSharded(streamed, Streamed(tensors), maxShardBytes: 300, Metadata);

        Assert.True(memoryFiles.Count > 2, string.Join(", ", memoryFiles));
        Assert.Equal(memoryFiles, streamedFiles);
        foreach (var name in memoryFiles)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(memory, name)), File.ReadAllBytes(Path.Combine(streamed, name)));
        }
    }

    [Fact]
    public void Each_tensor_is_produced_once_when_due_in_name_order()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = SafetensorsRoundTripTests.RandomTensors(seed: 6, torch.ScalarType.Float32);
        var produced = new List<string>();
        var streamed = tensors.Select(pair => new StreamedTensor(
            pair.Key,
            TensorDType.Float32,
            pair.Value.shape,
            () =>
            {
                produced.Add(pair.Key);
                return pair.Value.clone();
            })).ToList();

        SafetensorsWriter.Write(folder.File("ordered.safetensors"), streamed);

        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), produced);
    }

    [Fact]
    public void A_produced_tensor_that_differs_from_its_declaration_is_refused_and_nothing_is_left()
    {
        using var scope = torch.NewDisposeScope();
        var declared = new StreamedTensor("w", TensorDType.Float32, [2, 3], () => torch.zeros(3, 2));

        var error = Assert.Throws<InvalidOperationException>(() => SafetensorsWriter.Write(folder.File("bad.safetensors"), [declared]));

        Assert.Contains("'w'", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    /// <summary>The same tensors, each produced as a fresh copy when the writer asks for it, as a generator would.</summary>
    private static List<StreamedTensor> Streamed(Dictionary<string, torch.Tensor> tensors) =>
        tensors.Select(pair => new StreamedTensor(
            pair.Key,
            SafetensorsDTypes.FromScalarType(pair.Value.dtype)!.Value,
            pair.Value.shape,
            () => pair.Value.clone())).ToList();
}
