using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace A3.Runtime.Tests.IO;

/// <summary>
/// A minimal F32-only safetensors reader for comparing against fixtures; the product reader is
/// written separately, and tests must not depend on it being finished.
/// </summary>
internal static class TestSafetensors
{
    public static Dictionary<string, (long[] Shape, float[] Data)> ReadF32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var dataStart = 8 + headerLength;
        var result = new Dictionary<string, (long[], float[])>(StringComparer.Ordinal);
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                continue;
            }

            Assert.Equal("F32", entry.Value.GetProperty("dtype").GetString());
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt32()).ToArray();
            var data = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(dataStart + offsets[0], offsets[1] - offsets[0])).ToArray();
            result[entry.Name] = (shape, data);
        }

        return result;
    }
}
