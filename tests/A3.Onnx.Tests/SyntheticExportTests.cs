using A3.Runtime.Model;
using A3.Runtime.Tests.Model;
using Xunit.Abstractions;

namespace A3.Onnx.Tests;

/// <summary>Seeded synthetic checkpoints with Qwen2 biases, GQA groupings, tied and separate heads, llama3 rope scaling and factorised projections, exported and compared with the runtime.</summary>
public sealed class SyntheticExportTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 1e-4;
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-onnx-synthetic-").FullName;

    public static TheoryData<string> Cases => new(Configs.Keys);

    private static Dictionary<string, ModelConfig> Configs { get; } = new(StringComparer.Ordinal)
    {
        // The format caps a layer's intermediate size at the original one, which TestConfigs.Compressed (in memory only) exceeds.
        ["qwen2 biases, compressed pairs, separate head"] = TestConfigs.Compressed(bias: true, tied: false) with { IntermediateSize = 64 },
        ["llama3 rope scaling, GQA 4/2, tied"] = TestConfigs.Full(scaling: new RopeScaling("llama3", 8, 1, 4, 16)),
        ["multi-head 4/4, separate head"] = TestConfigs.Full(heads: 4, keyValueHeads: 4, tied: false),
        ["GQA 4/1, factorised q/o/k/down, compressed, biases, llama3"] = TestConfigs.Make(
            4,
            1,
            [
                TestConfigs.Shape(1, [[1, 3]], 6, 40) with { FactorizedRanks = new Dictionary<string, int> { ["q_proj"] = 3, ["o_proj"] = 5 } },
                TestConfigs.Shape(1, [[0, 1, 2, 3]], 8, 48) with { FactorizedRanks = new Dictionary<string, int> { ["down_proj"] = 7, ["k_proj"] = 4 } },
            ],
            bias: true,
            tied: true,
            new RopeScaling("llama3", 4, 1, 2, 8)),
    };

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Logits_and_cached_decoding_equal_the_runtime(string name)
    {
        var config = SyntheticModels.Sized(Configs[name]);
        var model = SyntheticModels.Write(Path.Combine(scratch, "model"), config, seed: 7);
        var result = OnnxExporter.Export(model, Path.Combine(scratch, "onnx"));
        var ids = SyntheticModels.Tokens(2 * 24, seed: 11);
        var expected = RuntimeReference.Logits(model, ids, 2);

        using var full = new OnnxRun(result.ModelFile, config);
        var difference = RuntimeReference.MaxAbsDifference(expected, full.Step(ids, 2));

        // Prefill 20 positions of both rows, then decode 4 one at a time; compare per row with the full run.
        using var stepped = new OnnxRun(result.ModelFile, config);
        var vocab = config.VocabSize;
        var rows = new List<float>[] { [], [] };
        void Split(float[] logits, int length)
        {
            rows[0].AddRange(logits[..(length * vocab)]);
            rows[1].AddRange(logits[(length * vocab)..]);
        }

        Split(stepped.Step([.. ids[..20], .. ids[24..44]], 2), 20);
        for (var t = 20; t < 24; t++)
        {
            Split(stepped.Step([ids[t], ids[24 + t]], 2), 1);
        }

        var decodeDifference = RuntimeReference.MaxAbsDifference(expected, [.. rows[0], .. rows[1]]);
        var spread = expected.Max() - expected.Min();
        output.WriteLine($"{name}: logit range {spread:F2}; max abs difference full {difference:E2}, decoded {decodeDifference:E2}");
        Assert.True(spread > 1, "the test model's logits should vary");
        Assert.True(difference <= Tolerance, $"max abs difference {difference}");
        Assert.True(decodeDifference <= Tolerance, $"max abs difference when decoding {decodeDifference}");
    }
}
