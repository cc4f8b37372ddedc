using System.Globalization;
using System.Text;
using A3.Runtime.IO;
using A3.Runtime.Model;
using A3.Tests;

namespace A3.Runtime.Tests.IO;

public sealed class HuggingFaceConfigWriterTests : IDisposable
{
    private readonly ConfigFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Compressed_config_round_trips_and_writes_identical_bytes_twice()
    {
        var source = HuggingFaceConfigReader.Read(files.Write(c => c["custom_field"] = "kept"));
        var compressed = source with
        {
            AttentionScale = 1 / Math.Sqrt(8),
            RopeScaling = new RopeScaling("llama3", 8.0, 1.0, 4.0, 8192),
            Layers = source.Layers.Select((layer, i) => i == 2
                ? new LayerShape(4, 5, 101, [[0, 3], [1, 2], [2, 3], [0, 1]])
                : layer).ToArray(),
        };
        var first = Path.Combine(files.Folder, "first.json");
        var second = Path.Combine(files.Folder, "second.json");

        HuggingFaceConfigWriter.Write(compressed, first);
        HuggingFaceConfigWriter.Write(compressed, second);
        var reread = HuggingFaceConfigReader.Read(first);

        AssertSameConfig(compressed, reread);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        Assert.Equal("kept", (string)reread.SourceJson!["custom_field"]!);

        var third = Path.Combine(files.Folder, "third.json");
        HuggingFaceConfigWriter.Write(reread, third);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(third));
    }

    [Fact]
    public void Output_is_canonical_text_independent_of_culture_and_key_order()
    {
        var config = HuggingFaceConfigReader.Read(files.Write(_ => { }));
        var reordered = HuggingFaceConfigReader.Read(files.Write(ConfigFiles.Stories260K().Reverse().Aggregate(
            new System.Text.Json.Nodes.JsonObject(),
            (obj, pair) =>
            {
                obj[pair.Key] = pair.Value?.DeepClone();
                return obj;
            })));

        var invariant = HuggingFaceConfigWriter.ToJson(config);
        var previous = CultureInfo.CurrentCulture;
        string german;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            german = HuggingFaceConfigWriter.ToJson(config);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        Assert.Equal(invariant, german);
        Assert.Equal(invariant, HuggingFaceConfigWriter.ToJson(reordered));
        Assert.DoesNotContain('\r', invariant);
        Assert.EndsWith("}\n", invariant, StringComparison.Ordinal);
        Assert.Contains("\"rope_pairs\": [\n", invariant, StringComparison.Ordinal);
        Assert.Contains("[0, 1, 2, 3]", invariant, StringComparison.Ordinal);
        Assert.Contains("\"attention_scale\": 0.35355339059327373", invariant, StringComparison.Ordinal);
        Assert.Contains("\"rope_theta\": 10000.0", invariant, StringComparison.Ordinal);
        var keys = invariant.Split('\n').Where(line => line.StartsWith("  \"", StringComparison.Ordinal)).Select(line => line.Split('"')[1]).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
    }

    [Fact]
    public void Uncompressed_config_without_source_json_round_trips()
    {
        var config = new ModelConfig
        {
            Architecture = "Qwen2ForCausalLM",
            ModelType = "qwen2",
            HiddenSize = 32,
            IntermediateSize = 48,
            NumLayers = 2,
            NumAttentionHeads = 4,
            NumKeyValueHeads = 2,
            VocabSize = 100,
            MaxPositionEmbeddings = 64,
            RmsNormEps = 1e-6,
            RopeTheta = 1000000.0,
            OriginalHeadDim = 8,
            AttentionScale = 1 / Math.Sqrt(8),
            AttentionBias = true,
            TieWordEmbeddings = true,
            BosTokenId = null,
            EosTokenId = 5,
            TorchDtype = "bfloat16",
            Layers = ModelConfig.FullLayers(2, 2, 8, 48),
        };
        var path = Path.Combine(files.Folder, "fresh.json");

        HuggingFaceConfigWriter.Write(config, path);
        var reread = HuggingFaceConfigReader.Read(path);

        AssertSameConfig(config, reread);
        Assert.False(reread.IsCompressed);
        Assert.StartsWith("{\n  \"a3\": {\n    \"attention_scale\"", File.ReadAllText(path, Encoding.UTF8), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(files.Folder, "*.tmp"));
    }

    [SkippableFact]
    public void Fixture_config_keeps_its_fields_through_a_write()
    {
        var fixture = HuggingFaceConfigReader.Read(Fixtures.Require("hf/stories260K-llama/config.json"));
        var path = Path.Combine(files.Folder, "fixture.json");

        HuggingFaceConfigWriter.Write(fixture, path);

        AssertSameConfig(fixture, HuggingFaceConfigReader.Read(path));
    }

    [Fact]
    public void Inconsistent_config_is_not_written()
    {
        var config = HuggingFaceConfigReader.Read(files.Write(_ => { }));
        var broken = config with { Layers = config.Layers.Take(4).ToArray() };
        var path = Path.Combine(files.Folder, "broken.json");

        var error = Assert.Throws<ArgumentException>(() => HuggingFaceConfigWriter.Write(broken, path));

        Assert.Contains("a3.layers", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    private static void AssertSameConfig(ModelConfig expected, ModelConfig actual)
    {
        IReadOnlyList<LayerShape> none = [];
        Assert.Equal(expected with { Layers = none, SourceJson = null }, actual with { Layers = none, SourceJson = null });
        Assert.Equal(expected.Layers, actual.Layers);
    }
}
