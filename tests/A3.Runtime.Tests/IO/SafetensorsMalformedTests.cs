using System.Buffers.Binary;
using A3.Runtime.IO;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Runtime.Tests.IO;

public sealed class SafetensorsMalformedTests : IDisposable
{
    private const string FileName = "broken-model.safetensors";
    private readonly TempFolder folder = new();

    public SafetensorsMalformedTests()
    {
        TorchNative.EnsureLoaded();
    }

    public void Dispose() => folder.Dispose();

    public static TheoryData<string, string, int, string?> MalformedHeaders => new()
    {
        { "not JSON", "{\"t\": {", 8, null },
        { "not an object", "[1, 2]", 8, null },
        { "entry not an object", "{\"t\": 5}", 8, "t" },
        { "missing dtype", "{\"t\": {\"shape\": [2], \"data_offsets\": [0, 8]}}", 8, "t" },
        { "missing shape", "{\"t\": {\"dtype\": \"F32\", \"data_offsets\": [0, 8]}}", 8, "t" },
        { "missing offsets", "{\"t\": {\"dtype\": \"F32\", \"shape\": [2]}}", 8, "t" },
        { "dtype not a string", "{\"t\": {\"dtype\": 3, \"shape\": [2], \"data_offsets\": [0, 8]}}", 8, "t" },
        { "shape not an array", "{\"t\": {\"dtype\": \"F32\", \"shape\": 2, \"data_offsets\": [0, 8]}}", 8, "t" },
        { "negative dimension", "{\"t\": {\"dtype\": \"F32\", \"shape\": [-2], \"data_offsets\": [0, 8]}}", 8, "t" },
        { "fractional dimension", "{\"t\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 8]}}", 8, "t" },
        { "dimension past 64 bits", "{\"t\": {\"dtype\": \"F32\", \"shape\": [99999999999999999999], \"data_offsets\": [0, 8]}}", 8, "t" },
        { "overflowing shape", "{\"t\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296, 4294967296], \"data_offsets\": [0, 8]}}", 8, "t" },
        { "unknown dtype", "{\"t\": {\"dtype\": \"F31\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 8, "t" },
        { "end before begin", "{\"t\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [8, 0]}}", 8, "t" },
        { "three offsets", "{\"t\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8, 16]}}", 16, "t" },
        { "negative offset", "{\"t\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [-8, 0]}}", 8, "t" },
        { "offsets past the data", "{\"t\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 8, "t" },
        { "size mismatch", "{\"t\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", 12, "t" },
        { "overlap", "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12, "b" },
        { "duplicate tensor", "{\"t\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"t\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8, "t" },
        { "duplicate field", "{\"t\": {\"dtype\": \"F32\", \"dtype\": \"F16\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 8, "t" },
        { "metadata not strings", "{\"__metadata__\": {\"format\": 1}}", 0, "format" },
        { "duplicate metadata key", "{\"__metadata__\": {\"k\": \"a\", \"k\": \"b\"}}", 0, "k" },
        { "lone surrogate", "{\"\\ud800\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 8, null },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void Malformed_headers_are_rejected_naming_file_and_tensor(string reason, string header, int dataBytes, string? tensor)
    {
        var path = folder.WriteRaw(FileName, header, new byte[dataBytes]);

        var error = Assert.Throws<A3InputException>(() => SafetensorsFile.Open(path).Dispose());

        Assert.Equal(A3ErrorCodes.InvalidSafetensors, error.Code);
        Assert.Equal(path, error.FilePath);
        Assert.Contains(FileName, error.Message, StringComparison.Ordinal);
        if (tensor is not null)
        {
            Assert.True(error.Message.Contains($"'{tensor}'", StringComparison.Ordinal), $"{reason}: '{error.Message}' does not name '{tensor}'");
        }
    }

    [Fact]
    public void Invalid_utf8_header_is_rejected()
    {
        var path = folder.WriteRaw(FileName, "{\"t\": 1}", []);
        var bytes = File.ReadAllBytes(path);
        bytes[10] = 0xFF;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<A3InputException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Contains(FileName, error.Message, StringComparison.Ordinal);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void Files_shorter_than_the_length_field_are_rejected(int length)
    {
        var path = folder.File(FileName);
        File.WriteAllBytes(path, new byte[length]);

        var error = Assert.Throws<A3InputException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Contains(FileName, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1000UL, "past the end")]
    [InlineData(1UL << 40, "limit")]
    [InlineData(ulong.MaxValue, "limit")]
    public void Header_lengths_past_the_file_or_absurd_are_rejected(ulong headerLength, string expected)
    {
        var path = folder.WriteRaw(FileName, "{}", new byte[16]);
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<A3InputException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Contains(FileName, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_but_unsupported_dtypes_open_and_are_refused_on_load()
    {
        var path = folder.WriteRaw(
            FileName,
            "{\"ids\": {\"dtype\": \"I64\", \"shape\": [2], \"data_offsets\": [0, 16]}, \"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [16, 24]}}",
            new byte[24]);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal("I64", file.GetEntry("ids").DType);
        Assert.Null(file.GetEntry("ids").ElementType);

        var error = Assert.Throws<A3InputException>(() => file.Load("ids", torch.ScalarType.Float32, torch.CPU));
        Assert.Contains(FileName, error.Message, StringComparison.Ordinal);
        Assert.Contains("'ids'", error.Message, StringComparison.Ordinal);
        Assert.Contains("I64", error.Message, StringComparison.Ordinal);
        Assert.Throws<A3InputException>(() => file.Describe("ids"));
        using var w = file.Load("w", torch.ScalarType.Float32, torch.CPU);
        Assert.Equal([2L], w.shape);
    }

    [Fact]
    public void Missing_tensor_is_an_input_error_naming_the_file()
    {
        var path = folder.WriteRaw(FileName, "{}", []);
        using var file = SafetensorsFile.Open(path);

        var error = Assert.Throws<A3InputException>(() => file.Load("nope", torch.ScalarType.Float32, torch.CPU));
        Assert.Contains(FileName, error.Message, StringComparison.Ordinal);
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gaps_between_tensors_are_tolerated()
    {
        var data = new byte[16];
        BitConverter.TryWriteBytes(data.AsSpan(8), 2.5f);
        var path = folder.WriteRaw(FileName, "{\"t\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 12]}}", data);

        using var file = SafetensorsFile.Open(path);
        using var t = file.Load("t", torch.ScalarType.Float32, torch.CPU);
        Assert.Equal(2.5f, t[0].ToSingle());
    }
}
