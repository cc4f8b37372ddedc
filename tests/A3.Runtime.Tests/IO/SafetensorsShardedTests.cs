using A3.Runtime.IO;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Runtime.Tests.IO;

public sealed class SafetensorsShardedTests : IDisposable
{
    private readonly TempFolder folder = new();

    public SafetensorsShardedTests()
    {
        TorchNative.EnsureLoaded();
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Hand_written_index_over_two_files_reads_every_tensor()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = SafetensorsRoundTripTests.RandomTensors(seed: 5, torch.ScalarType.BFloat16);
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var first = names.Take(3).ToDictionary(n => n, n => tensors[n]);
        var second = names.Skip(3).ToDictionary(n => n, n => tensors[n]);
        SafetensorsWriter.Write(folder.File("part-a.safetensors"), first);
        SafetensorsWriter.Write(folder.File("part-b.safetensors"), second);
        WriteIndex(first.Keys.Select(n => (n, "part-a.safetensors")).Concat(second.Keys.Select(n => (n, "part-b.safetensors"))));

        using var source = SafetensorsWeightSource.Open(folder.Path);
        Assert.Equal(2, source.Files.Count);
        Assert.Equal(names, source.Names);
        foreach (var (name, tensor) in tensors)
        {
            Assert.True(source.Contains(name));
            SafetensorsRoundTripTests.AssertSameBits(tensor, source.Load(name, torch.ScalarType.BFloat16, torch.CPU), name);
        }
    }

    [Fact]
    public void Writer_shards_by_size_and_the_folder_reads_back()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = SafetensorsRoundTripTests.RandomTensors(seed: 9, torch.ScalarType.Float32);

        var written = SafetensorsWriter.WriteSharded(folder.Path, tensors, maxShardBytes: 300);

        Assert.True(written.Count > 2, string.Join(", ", written));
        Assert.Equal(SafetensorsIndex.FileName, written[^1]);
        Assert.Equal(written.Order(StringComparer.Ordinal), Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var index = SafetensorsIndex.Read(folder.File(SafetensorsIndex.FileName));
        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), index.WeightMap.Keys.Order(StringComparer.Ordinal));

        using var source = SafetensorsWeightSource.Open(folder.Path);
        Assert.Equal(written.Count - 1, source.Files.Count);
        foreach (var (name, tensor) in tensors)
        {
            SafetensorsRoundTripTests.AssertSameBits(tensor, source.Load(name, torch.ScalarType.Float32, torch.CPU), name);
        }
    }

    [Fact]
    public void Writer_writes_a_single_model_file_when_everything_fits()
    {
        using var scope = torch.NewDisposeScope();
        var written = SafetensorsWriter.WriteSharded(folder.Path, new Dictionary<string, torch.Tensor> { ["a"] = torch.ones(4) }, maxShardBytes: 1 << 20);

        Assert.Equal([SafetensorsWeightSource.SingleFileName], written);
        using var source = SafetensorsWeightSource.Open(folder.Path);
        Assert.Equal(["a"], source.Names);
    }

    [Fact]
    public void Missing_shard_is_an_error_naming_the_index()
    {
        using var scope = torch.NewDisposeScope();
        SafetensorsWriter.Write(folder.File("part-a.safetensors"), new Dictionary<string, torch.Tensor> { ["a"] = torch.ones(2) });
        WriteIndex([("a", "part-a.safetensors"), ("b", "part-b.safetensors")]);

        var error = Assert.Throws<A3InputException>(() => SafetensorsWeightSource.Open(folder.Path).Dispose());
        Assert.Contains(SafetensorsIndex.FileName, error.Message, StringComparison.Ordinal);
        Assert.Contains("part-b.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Equal(folder.File(SafetensorsIndex.FileName), error.FilePath);
    }

    [Fact]
    public void Tensor_missing_from_its_shard_is_an_error_naming_the_index_and_tensor()
    {
        using var scope = torch.NewDisposeScope();
        SafetensorsWriter.Write(folder.File("part-a.safetensors"), new Dictionary<string, torch.Tensor> { ["a"] = torch.ones(2) });
        WriteIndex([("a", "part-a.safetensors"), ("ghost", "part-a.safetensors")]);

        var error = Assert.Throws<A3InputException>(() => SafetensorsWeightSource.Open(folder.Path).Dispose());
        Assert.Contains(SafetensorsIndex.FileName, error.Message, StringComparison.Ordinal);
        Assert.Contains("'ghost'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"metadata\": {}}")]
    [InlineData("{\"weight_map\": {\"a\": 1}}")]
    [InlineData("{\"weight_map\": {\"a\": \"../x.safetensors\"}}")]
    [InlineData("{\"weight_map\": {\"a\": \"x.safetensors\", \"a\": \"y.safetensors\"}}")]
    [InlineData("{\"weight_map\": ")]
    public void Malformed_index_is_an_error_naming_the_index(string json)
    {
        File.WriteAllText(folder.File(SafetensorsIndex.FileName), json);

        var error = Assert.Throws<A3InputException>(() => SafetensorsWeightSource.Open(folder.Path).Dispose());
        Assert.Equal(A3ErrorCodes.InvalidSafetensors, error.Code);
        Assert.Contains(SafetensorsIndex.FileName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_without_weights_is_a_file_not_found_error()
    {
        var error = Assert.Throws<A3InputException>(() => SafetensorsWeightSource.Open(folder.Path).Dispose());
        Assert.Equal(A3ErrorCodes.FileNotFound, error.Code);
    }

    private void WriteIndex(IEnumerable<(string Tensor, string Shard)> map)
    {
        var entries = map.Select(pair => $"\"{pair.Tensor}\": \"{pair.Shard}\"");
        File.WriteAllText(folder.File(SafetensorsIndex.FileName), "{\"metadata\": {\"total_size\": 0}, \"weight_map\": {" + string.Join(", ", entries) + "}}");
    }
}
