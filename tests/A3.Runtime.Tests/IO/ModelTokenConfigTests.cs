using A3.IO;

namespace A3.Runtime.Tests.IO;

/// <summary>The token fields of <c>config.json</c>, read once for A3.Runtime's config reader and A3.OnnxRuntime.</summary>
public sealed class ModelTokenConfigTests
{
    [Fact]
    public void Reads_vocabulary_context_and_special_ids()
    {
        var config = Parse("""{ "vocab_size": 512, "max_position_embeddings": 256, "bos_token_id": 1, "eos_token_id": 2 }""");

        Assert.Equal(512, config.VocabSize);
        Assert.Equal(256, config.MaxPositionEmbeddings);
        Assert.Equal(1, config.BosTokenId);
        Assert.Equal([2], config.EosTokenIds);
    }

    [Fact]
    public void Keeps_every_id_of_an_eos_list()
    {
        var config = Parse("""{ "vocab_size": 128256, "max_position_embeddings": 8192, "bos_token_id": [128000], "eos_token_id": [128001, 128008, 128009] }""");

        Assert.Equal(128000, config.BosTokenId);
        Assert.Equal([128001, 128008, 128009], config.EosTokenIds);
    }

    [Fact]
    public void Absent_or_empty_ids_are_none()
    {
        var config = Parse("""{ "vocab_size": 8, "max_position_embeddings": 8, "bos_token_id": [], "eos_token_id": null }""");

        Assert.Null(config.BosTokenId);
        Assert.Empty(config.EosTokenIds);
    }

    [Theory]
    [InlineData("""{ "vocab_size": 8, "max_position_embeddings": 8, "eos_token_id": [2, "x"] }""", "'eos_token_id' must be a token id or a list of token ids")]
    [InlineData("""{ "vocab_size": 8, "max_position_embeddings": 8, "eos_token_id": -1 }""", "'eos_token_id' must not be negative")]
    [InlineData("""{ "max_position_embeddings": 8 }""", "vocab_size")]
    [InlineData("""{ "vocab_size": 8, "max_position_embeddings": 0 }""", "max_position_embeddings")]
    [InlineData("""[1, 2]""", "must be a JSON object")]
    [InlineData("""{ "vocab_size": 8, }""", "not valid JSON")]
    public void Malformed_fields_are_A3011(string json, string message)
    {
        var error = Assert.Throws<A3InputException>(() => Parse(json));

        Assert.Equal(A3ErrorCodes.InvalidModelConfig, error.Code);
        Assert.Contains(message, error.Message);
        Assert.Equal("/m/config.json", error.FilePath);
    }

    [Fact]
    public void A_folder_without_config_json_is_A3002()
    {
        var folder = Directory.CreateTempSubdirectory("a3-token-config-").FullName;
        try
        {
            var error = Assert.Throws<A3InputException>(() => ModelTokenConfig.ReadFolder(folder));

            Assert.Equal(A3ErrorCodes.FileNotFound, error.Code);
            Assert.Equal(Path.Combine(folder, "config.json"), error.FilePath);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static ModelTokenConfig Parse(string json) => ModelTokenConfig.Read(ModelTokenConfig.ParseDocument(json, "/m/config.json"));
}
