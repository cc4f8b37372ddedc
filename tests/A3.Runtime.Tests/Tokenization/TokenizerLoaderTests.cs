using A3.Tests;
using A3.Tokenizers;

namespace A3.Runtime.Tests.Tokenization;

public sealed class TokenizerLoaderTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"a3-loader-{Guid.NewGuid():N}");

    public TokenizerLoaderTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, true);

    [SkippableFact]
    public void Llama2c_checkpoint_prefers_the_sentencepiece_model_beside_it()
    {
        Assert.IsType<SentencePieceBpeTokenizer>(TokenizerLoader.Load(Fixtures.Require("llama2c/stories260K/stories260K.bin")));
    }

    [SkippableFact]
    public void Llama2c_checkpoint_without_a_model_file_uses_tok_bin()
    {
        var tokenizer = TokenizerLoader.Load(Fixtures.Require("llama2c/aidreams260K/aidreams260K.bin"), 512);

        Assert.IsType<Llama2cTokenizer>(tokenizer);
        Assert.Equal(512, tokenizer.VocabSize);
    }

    [SkippableFact]
    public void Hugging_face_folder_with_only_tokenizer_model_uses_it()
    {
        var tokenizer = TokenizerLoader.Load(Fixtures.Require("hf/stories260K-llama"));

        Assert.IsType<SentencePieceBpeTokenizer>(tokenizer);
        Assert.Equal(512, tokenizer.VocabSize);
    }

    [Fact]
    public void Folder_with_a_byte_level_tokenizer_json_uses_it()
    {
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), ByteLevelBpeTokenizerTests.Gpt2Json(mergesAsArrays: false));

        Assert.IsType<ByteLevelBpeTokenizer>(TokenizerLoader.Load(folder));
    }

    [SkippableFact]
    public void Folder_with_a_sentencepiece_style_tokenizer_json_alone_uses_it()
    {
        Assert.IsType<SentencePieceJsonTokenizer>(TokenizerLoader.Load(Fixtures.Require("tokenizers/mistral-bytefallback")));
    }

    [SkippableTheory]
    [InlineData("tokenizers/mistral-bytefallback", typeof(SentencePieceBpeTokenizer))]
    [InlineData("tokenizers/llama3", typeof(ByteLevelBpeTokenizer))]
    public void Beside_a_tokenizer_model_only_a_byte_level_tokenizer_json_is_preferred(string jsonFixture, Type expected)
    {
        File.Copy(Path.Combine(Fixtures.Require(jsonFixture), "tokenizer.json"), Path.Combine(folder, "tokenizer.json"));
        File.Copy(Fixtures.Require("tokenizers/llama2-sp/tokenizer.model"), Path.Combine(folder, "tokenizer.model"));

        Assert.IsType(expected, TokenizerLoader.Load(folder));
    }

    [SkippableTheory]
    [InlineData("""{"add_bos_token": false, "bos_token": "<s>"}""", null)]
    [InlineData("""{"add_bos_token": true, "bos_token": "<s>"}""", 1)]
    [InlineData("""{"bos_token": null}""", null)]
    [InlineData("{}", 1)]
    public void A_tokenizer_model_in_a_folder_follows_the_folder_declarations_for_bos(string tokenizerConfig, int? expectedBos)
    {
        File.Copy(Fixtures.Require("tokenizers/llama2-sp/tokenizer.model"), Path.Combine(folder, "tokenizer.model"));
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), tokenizerConfig);

        var tokenizer = TokenizerLoader.Load(folder);

        // The model file's own bos_id (1, "<s>") is the fallback when nothing is declared.
        Assert.Equal(expectedBos, tokenizer.BosId);
        Assert.Equal(2, tokenizer.EosId);
    }

    [SkippableFact]
    public void A_declared_bos_the_tokenizer_lacks_is_an_error_naming_the_config()
    {
        File.Copy(Fixtures.Require("tokenizers/llama2-sp/tokenizer.model"), Path.Combine(folder, "tokenizer.model"));
        var config = Path.Combine(folder, "tokenizer_config.json");
        File.WriteAllText(config, """{"add_bos_token": true, "bos_token": "<|begin_of_text|>"}""");

        var ex = Assert.Throws<A3InputException>(() => TokenizerLoader.Load(folder));

        Assert.Equal(A3ErrorCodes.InvalidTokenizer, ex.Code);
        Assert.Equal(config, ex.FilePath);
        Assert.Contains("'<|begin_of_text|>'", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Generation_config_declares_eos_when_tokenizer_config_does_not()
    {
        File.Copy(Fixtures.Require("tokenizers/llama2-sp/tokenizer.model"), Path.Combine(folder, "tokenizer.model"));
        File.WriteAllText(Path.Combine(folder, "generation_config.json"), """{"bos_token_id": 1, "eos_token_id": [0, 2]}""");

        Assert.Equal(0, TokenizerLoader.Load(folder).EosId);
    }

    [Fact]
    public void Empty_folder_throws_naming_the_folder()
    {
        var ex = Assert.Throws<A3InputException>(() => TokenizerLoader.Load(folder));

        Assert.Equal(A3ErrorCodes.InvalidTokenizer, ex.Code);
        Assert.Contains(folder, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checkpoint_with_no_tokenizer_beside_it_throws_naming_the_folder()
    {
        var checkpoint = Path.Combine(folder, "model.bin");
        File.WriteAllBytes(checkpoint, new byte[28]);

        var ex = Assert.Throws<A3InputException>(() => TokenizerLoader.Load(checkpoint));

        Assert.Equal(A3ErrorCodes.InvalidTokenizer, ex.Code);
        Assert.Contains(folder, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_path_is_reported()
    {
        var ex = Assert.Throws<A3InputException>(() => TokenizerLoader.Load(Path.Combine(folder, "absent")));

        Assert.Equal(A3ErrorCodes.FileNotFound, ex.Code);
    }
}
