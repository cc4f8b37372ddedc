using System.Buffers.Binary;
using System.Text.Json;
using A3.Runtime.Model;
using A3.Tests;
using Xunit.Abstractions;

namespace A3.Runtime.Tests.Model;

/// <summary>The decoder on the real stories260K weights (HF layout) against the fixture's float64 numpy reference.</summary>
public sealed class Stories260KFixtureTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Logits_and_story_nll_match_the_numpy_reference()
    {
        var weights = ReadF32Safetensors(Fixtures.Require("hf/stories260K-llama/model.safetensors"));
        var referenceLogits = File.ReadAllBytes(Fixtures.Require("reference/stories260K_story0_first32_logits.f32"));
        using var json = JsonDocument.Parse(File.ReadAllText(Fixtures.Require("reference/stories260K_tinystories_reference.json")));
        var story = json.RootElement.GetProperty("stories")[0];
        var ids = story.GetProperty("ids").EnumerateArray().Select(id => id.GetInt32()).ToArray();
        var config = TestConfigs.Make(8, 4, ModelConfig.FullLayers(5, 4, 8, 172), bias: false, tied: true, scaling: null) with
        {
            HiddenSize = 64, IntermediateSize = 172, VocabSize = 512, MaxPositionEmbeddings = 512, RopeTheta = 10000, AttentionScale = 1 / Math.Sqrt(8),
        };

        using var model = ModelRunner.Load(config, weights);
        var logits = ModelRunner.Logits(model, [ids])[0];

        var expected = Enumerable.Range(0, 32 * 512).Select(i => (double)BinaryPrimitives.ReadSingleLittleEndian(referenceLogits.AsSpan(i * 4)));
        var error = ModelRunner.RelativeError(expected, logits.Take(32).SelectMany(row => row.Select(v => (double)v)));
        var nll = Enumerable.Range(0, ids.Length - 1).Average(t => NegativeLogLikelihood(logits[t], ids[t + 1]));
        output.WriteLine($"stories260K: first-32 logits max |Δ| / max |ref| = {error:E3}; story 0 mean NLL {nll:F6} (reference {story.GetProperty("mean_nll").GetDouble():F6})");
        Assert.True(error < 1e-4, $"relative error {error:E3}");
        Assert.Equal(story.GetProperty("mean_nll").GetDouble(), nll, 1e-4);
    }

    private static double NegativeLogLikelihood(float[] logits, int target)
    {
        var max = logits.Max();
        return Math.Log(logits.Sum(v => Math.Exp(v - max))) + max - logits[target];
    }

    /// <summary>A minimal F32-only safetensors parse for this fixture; the product's reader lives elsewhere.</summary>
    private static Dictionary<string, (long[] Shape, float[] Data)> ReadF32Safetensors(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var result = new Dictionary<string, (long[] Shape, float[] Data)>(StringComparer.Ordinal);
        foreach (var entry in header.RootElement.EnumerateObject().Where(e => e.Name != "__metadata__"))
        {
            Assert.Equal("F32", entry.Value.GetProperty("dtype").GetString());
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray();
            var begin = 8 + headerLength + entry.Value.GetProperty("data_offsets")[0].GetInt32();
            var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(begin + (i * 4)));
            }

            result[entry.Name] = (shape, data);
        }

        return result;
    }
}
