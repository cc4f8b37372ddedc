using System.Text.Json.Nodes;
using A3.Runtime.IO;
using A3.Runtime.Model;

namespace A3.Runtime.Tests.IO;

/// <summary>The optional <c>a3.layers[l].factorized</c> object: read, validated, written deterministically.</summary>
public sealed class FactorizedConfigTests : IDisposable
{
    private readonly ConfigFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Factorised_ranks_are_read_and_round_trip_byte_identically()
    {
        var path = files.Write(c => c["a3"] = WithFactorized(new JsonObject { ["q_proj"] = 16, ["down_proj"] = 3, ["o_proj"] = 48 }));

        var config = HuggingFaceConfigReader.Read(path);

        // Layer 1 has v = 6, so o_proj is [64, 48] and rank 48 is the largest allowed.
        Assert.Equal(new Dictionary<string, int> { ["q_proj"] = 16, ["down_proj"] = 3, ["o_proj"] = 48 }, config.Layers[1].FactorizedRanks);
        Assert.Empty(config.Layers[0].FactorizedRanks);
        Assert.True(config.IsCompressed);

        var first = Path.Combine(files.Folder, "first.json");
        var second = Path.Combine(files.Folder, "second.json");
        HuggingFaceConfigWriter.Write(config, first);
        var reread = HuggingFaceConfigReader.Read(first);
        HuggingFaceConfigWriter.Write(reread, second);

        Assert.Equal(config.Layers, reread.Layers);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        var layers = JsonNode.Parse(File.ReadAllText(first))!["a3"]!["layers"]!.AsArray();
        Assert.Equal("{\"down_proj\":3,\"o_proj\":48,\"q_proj\":16}", layers[1]!["factorized"]!.ToJsonString());
        Assert.Null(layers[0]!["factorized"]);
    }

    [Fact]
    public void A_factorisation_set_in_code_is_written_and_an_empty_one_is_omitted()
    {
        var config = HuggingFaceConfigReader.Read(files.Write(_ => { }));
        var layers = config.Layers.ToArray();
        layers[3] = layers[3] with { FactorizedRanks = new Dictionary<string, int> { ["up_proj"] = 7, ["gate_proj"] = 64 } };
        var factorized = config with { Layers = layers };

        var text = HuggingFaceConfigWriter.ToJson(factorized);

        Assert.Equal(factorized.Layers, HuggingFaceConfigReader.Parse(text, "config.json").Layers);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "\"factorized\""));
        Assert.DoesNotContain("factorized", HuggingFaceConfigWriter.ToJson(config), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"q_proj\": 0}", "a3.layers[1].factorized.q_proj")]
    [InlineData("{\"q_proj\": 33}", "a3.layers[1].factorized.q_proj")]
    [InlineData("{\"k_proj\": 17}", "a3.layers[1].factorized.k_proj")]
    [InlineData("{\"o_proj\": 49}", "a3.layers[1].factorized.o_proj")]
    [InlineData("{\"gate_proj\": 101}", "a3.layers[1].factorized.gate_proj")]
    [InlineData("{\"up_proj\": 2.5}", "a3.layers[1].factorized.up_proj")]
    [InlineData("{\"up_proj\": \"8\"}", "a3.layers[1].factorized.up_proj")]
    [InlineData("{\"lm_head\": 8}", "a3.layers[1].factorized.lm_head")]
    [InlineData("{\"Q_proj\": 8}", "a3.layers[1].factorized.Q_proj")]
    [InlineData("[8]", "a3.layers[1].factorized")]
    public void Invalid_ranks_and_names_are_rejected_naming_the_layer(string factorized, string named)
    {
        // Layer 1 is compressed to qk = 4, v = 6, I = 100: q_proj [32, 64], k_proj [16, 64], o_proj [64, 48], gate_proj [100, 64].
        var path = files.Write(c => c["a3"] = WithFactorized(JsonNode.Parse(factorized)!));

        var error = Assert.Throws<A3InputException>(() => HuggingFaceConfigReader.Read(path));

        Assert.Equal(A3ErrorCodes.InvalidCompressedFormat, error.Code);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_writer_refuses_an_invalid_rank_naming_the_layer()
    {
        var config = HuggingFaceConfigReader.Read(files.Write(_ => { }));
        var layers = config.Layers.ToArray();
        layers[4] = layers[4] with { FactorizedRanks = new Dictionary<string, int> { ["down_proj"] = 65 } };

        var error = Assert.Throws<ArgumentException>(() => HuggingFaceConfigWriter.ToJson(config with { Layers = layers }));

        Assert.Contains("a3.layers[4].factorized.down_proj", error.Message, StringComparison.Ordinal);
    }

    private static JsonObject WithFactorized(JsonNode factorized)
    {
        var a3 = HuggingFaceConfigReaderTests.A3Section();
        a3["layers"]![1]!["factorized"] = factorized;
        return a3;
    }
}
