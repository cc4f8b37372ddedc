using A3.Tests;
using A3.Tokenizers;

namespace A3.Runtime.Tests.Tokenization;

public class Llama2cTokenizerTests
{
    private static Llama2cTokenizer LoadStories() =>
        Llama2cTokenizer.Load(Fixtures.Require("llama2c/stories260K/tok512.bin"), 512);

    [SkippableFact]
    public void Header_and_vocabulary_are_read()
    {
        var tokenizer = LoadStories();

        Assert.Equal(512, tokenizer.VocabSize);
        Assert.Equal(7, tokenizer.MaxTokenLength);
        Assert.Equal(1, tokenizer.BosId);
        Assert.Equal(2, tokenizer.EosId);
        Assert.Equal("<0x0A>"u8.ToArray(), tokenizer.GetPieceBytes(13));
    }

    [SkippableFact]
    public void Vocabulary_size_is_inferred_from_the_file_length()
    {
        var tokenizer = Llama2cTokenizer.Load(Fixtures.Require("llama2c/stories260K/tok512.bin"));

        Assert.Equal(512, tokenizer.VocabSize);
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Stories_encode_to_the_reference_ids(int index)
    {
        var tokenizer = LoadStories();
        var expected = TinyStoriesData.ReferenceIds()[index];

        var actual = TinyStoriesData.WithBosTruncated(1, tokenizer.Encode(TinyStoriesData.Stories()[index]));

        Assert.Equal(expected, actual);
    }

    [SkippableFact]
    public void Agrees_with_the_sentencepiece_model_and_round_trips_on_the_first_100_stories()
    {
        var bin = LoadStories();
        var model = SentencePieceBpeTokenizer.Load(Fixtures.Require("llama2c/stories260K/tok512.model"));
        var stories = TinyStoriesData.Stories();

        for (var i = 0; i < 100; i++)
        {
            var ids = bin.Encode(stories[i]);
            Assert.Equal(model.Encode(stories[i]), ids);
            Assert.Equal(stories[i], bin.Decode(ids));
        }
    }

    [SkippableFact]
    public void Characters_outside_the_vocabulary_fall_back_to_byte_tokens_and_decode_back()
    {
        var bin = LoadStories();
        var model = SentencePieceBpeTokenizer.Load(Fixtures.Require("llama2c/stories260K/tok512.model"));
        const string text = "héllo ☃ 日本";

        var ids = bin.Encode(text);

        Assert.Equal(model.Encode(text), ids);
        Assert.Equal(new[] { 0xE6 + 3, 0x97 + 3, 0xA5 + 3, 0xE6 + 3, 0x9C + 3, 0xAC + 3 }, ids.Skip(ids.Count - 6));
        Assert.Equal(text, bin.Decode(ids));
    }

    [SkippableFact]
    public void Decode_drops_the_dummy_prefix_space_after_bos_and_skips_specials()
    {
        var tokenizer = LoadStories();
        var ids = new List<int> { 1 };
        ids.AddRange(tokenizer.Encode("Lily was happy."));
        ids.Add(2);

        Assert.Equal("Lily was happy.", tokenizer.Decode(ids));
    }

    [SkippableFact]
    public void Aidreams_tokenizer_loads_and_round_trips_a_sentence()
    {
        var tokenizer = Llama2cTokenizer.Load(Fixtures.Require("llama2c/aidreams260K/tok512.bin"), 512);
        const string sentence = "Echoes of vectors unfold, a gentle hum of precision.";

        var ids = tokenizer.Encode(sentence);

        Assert.Equal(512, tokenizer.VocabSize);
        Assert.InRange(ids.Count, 2, sentence.Length);
        Assert.All(ids, id => Assert.InRange(id, 3, 511));
        Assert.Equal(sentence, tokenizer.Decode(ids));
    }

    [SkippableTheory]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(3000)]
    public void Truncated_file_throws_naming_the_file(int keepBytes)
    {
        var bytes = File.ReadAllBytes(Fixtures.Require("llama2c/stories260K/tok512.bin"));
        var path = Path.Combine(Path.GetTempPath(), $"a3-tok-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, bytes[..keepBytes]);
        try
        {
            var ex = Assert.Throws<A3InputException>(() => Llama2cTokenizer.Load(path, 512));
            Assert.Equal(A3ErrorCodes.InvalidTokenizer, ex.Code);
            Assert.Equal(path, ex.FilePath);
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
            Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public void Wrong_vocabulary_size_is_reported()
    {
        var path = Fixtures.Require("llama2c/stories260K/tok512.bin");

        var tooSmall = Assert.Throws<A3InputException>(() => Llama2cTokenizer.Load(path, 500));
        var tooLarge = Assert.Throws<A3InputException>(() => Llama2cTokenizer.Load(path, 600));

        Assert.Contains("vocabulary size may be wrong", tooSmall.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", tooLarge.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Piece_longer_than_max_token_length_is_rejected()
    {
        // max_token_length 1, then one piece of length 2.
        byte[] data = [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, (byte)'a', (byte)'b'];

        var ex = Assert.Throws<A3InputException>(() => Llama2cTokenizer.FromBytes(data, null, "bad.bin"));

        Assert.Equal("bad.bin", ex.FilePath);
        Assert.Contains("max_token_length", ex.Message, StringComparison.Ordinal);
    }
}
