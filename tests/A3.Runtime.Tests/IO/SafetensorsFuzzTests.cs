using System.Buffers.Binary;
using A3.Runtime.IO;
using A3.Runtime.Native;
using A3.Tests;
using TorchSharp;

namespace A3.Runtime.Tests.IO;

public sealed class SafetensorsFuzzTests : IDisposable
{
    private static readonly byte[] JsonNoise = "{}[]\",:-0123456789eE.tfn \\u"u8.ToArray();
    private readonly TempFolder folder = new();

    public SafetensorsFuzzTests()
    {
        TorchNative.EnsureLoaded();
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Mutated_generated_files_open_and_load_or_fail_with_input_errors_only()
    {
        var original = folder.File("original.safetensors");
        using (var scope = torch.NewDisposeScope())
        {
            var tensors = SafetensorsRoundTripTests.RandomTensors(seed: 1, torch.ScalarType.Float16);
            tensors["w32"] = torch.ones(3, 2);
            tensors["wbf16"] = torch.ones(5, dtype: torch.ScalarType.BFloat16);
            SafetensorsWriter.Write(original, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        }

        Fuzz(File.ReadAllBytes(original), seed: 12345, iterations: 3000);
    }

    [SkippableFact]
    public void Mutated_fixture_opens_and_loads_or_fails_with_input_errors_only()
    {
        var bytes = File.ReadAllBytes(Fixtures.Require("hf/stories260K-llama/model.safetensors"));

        // Each iteration rewrites the 1 MB fixture, so fewer iterations keep this near a second.
        Fuzz(bytes, seed: 777, iterations: 150);
    }

    private void Fuzz(byte[] original, int seed, int iterations)
    {
        var random = new Random(seed);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(original);
        var path = folder.File($"fuzz-{seed}.safetensors");
        var (opened, loaded, rejected) = (0, 0, 0);
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var mutated = Mutate(original, headerLength, random, out var mutation);
            File.WriteAllBytes(path, mutated);
            try
            {
                using var file = SafetensorsFile.Open(path);
                opened++;
                foreach (var name in file.Names)
                {
                    try
                    {
                        using var tensor = file.Load(name, torch.ScalarType.Float32, torch.CPU);
                        loaded++;
                    }
                    catch (A3InputException)
                    {
                        // Valid safetensors dtypes A3 does not load are refused on load, by design.
                        rejected++;
                    }
                }
            }
            catch (A3InputException error)
            {
                rejected++;
                Assert.Contains(Path.GetFileName(path), error.Message, StringComparison.Ordinal);
            }
            catch (Exception error)
            {
                Assert.Fail($"iteration {iteration} ({mutation}) threw {error.GetType().Name}: {error.Message}");
            }
        }

        // Guards against a fuzzer that only ever produces garbage (or never does).
        Assert.True(opened > iterations / 20, $"only {opened} of {iterations} mutated files opened");
        Assert.True(rejected > iterations / 5, $"only {rejected} of {iterations} mutated files were rejected");
        Assert.True(loaded > 0);
    }

    private static byte[] Mutate(byte[] original, int headerLength, Random random, out string mutation)
    {
        var bytes = (byte[])original.Clone();
        var headerEnd = 8 + headerLength;
        switch (random.Next(6))
        {
            case 0:
                var flips = random.Next(1, 4);
                for (var i = 0; i < flips; i++)
                {
                    bytes[random.Next(8, headerEnd)] = (byte)random.Next(256);
                }

                mutation = $"{flips} random header bytes";
                return bytes;
            case 1:
                var noisy = random.Next(1, 4);
                for (var i = 0; i < noisy; i++)
                {
                    bytes[random.Next(8, headerEnd)] = JsonNoise[random.Next(JsonNoise.Length)];
                }

                mutation = $"{noisy} JSON-significant header bytes";
                return bytes;
            case 2:
                var delta = random.Next(-16, 17);
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)(headerLength + delta));
                mutation = $"header length {delta:+#;-#;0}";
                return bytes;
            case 3:
                bytes[random.Next(8)] = (byte)random.Next(256);
                mutation = "random length-field byte";
                return bytes;
            case 4:
                var length = random.Next(2) == 0 ? random.Next(headerEnd + 1) : random.Next(headerEnd, bytes.Length);
                mutation = $"truncated to {length}";
                return bytes[..length];
            default:
                // Swapping digits inside the header moves offsets and shapes while keeping valid JSON.
                var digits = Enumerable.Range(8, headerLength).Where(i => bytes[i] is >= (byte)'0' and <= (byte)'9').ToArray();
                var at = digits[random.Next(digits.Length)];
                bytes[at] = (byte)('0' + random.Next(10));
                mutation = $"digit at {at}";
                return bytes;
        }
    }
}
