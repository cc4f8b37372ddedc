using System.Text;
using A3.Tests;
using A3.Tokenizers;

namespace A3.Runtime.Tests.Tokenization;

public class SentencePieceBpeTokenizerTests
{
    private static SentencePieceBpeTokenizer LoadStories() =>
        SentencePieceBpeTokenizer.Load(Fixtures.Require("llama2c/stories260K/tok512.model"));

    private static SentencePieceBpeTokenizer LoadLlama2() =>
        SentencePieceBpeTokenizer.Load(Fixtures.Require("tokenizers/llama2-sp/tokenizer.model"));

    [SkippableFact]
    public void Model_header_values_match_the_stories260K_vocabulary()
    {
        var tokenizer = LoadStories();

        Assert.Equal(512, tokenizer.VocabSize);
        Assert.Equal(1, tokenizer.BosId);
        Assert.Equal(2, tokenizer.EosId);
        Assert.Equal(0, tokenizer.UnknownId);
        Assert.True(tokenizer.ByteFallback);
        Assert.Equal("<0x0A>", tokenizer.IdToPiece(13));
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Stories_encode_to_the_reference_ids(int index)
    {
        var tokenizer = LoadStories();
        var stories = TinyStoriesData.Stories();
        var expected = TinyStoriesData.ReferenceIds()[index];

        var actual = TinyStoriesData.WithBosTruncated(tokenizer.BosId!.Value, tokenizer.Encode(stories[index]));

        Assert.Equal(expected, actual);
    }

    [SkippableFact]
    public void First_100_stories_round_trip_through_decode()
    {
        var tokenizer = LoadStories();
        var stories = TinyStoriesData.Stories();

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(stories[i], tokenizer.Decode(tokenizer.Encode(stories[i])));
        }
    }

    [SkippableFact]
    public void Characters_outside_the_vocabulary_fall_back_to_utf8_byte_tokens()
    {
        var tokenizer = LoadStories();
        const string text = "héllo ☃ 日本";

        var ids = tokenizer.Encode(text);

        var space = Enumerable.Range(0, tokenizer.VocabSize).Single(id => tokenizer.IdToPiece(id) == "\u2581");
        var expectedTail = new List<int> { space };
        expectedTail.AddRange(Encoding.UTF8.GetBytes("☃").Select(b => b + 3));
        expectedTail.Add(space);
        expectedTail.AddRange(Encoding.UTF8.GetBytes("日本").Select(b => b + 3));
        Assert.Equal(expectedTail, ids.Skip(ids.Count - expectedTail.Count));
        Assert.All(ids.Take(ids.Count - expectedTail.Count), id => Assert.True(id > 258, $"id {id} of 'héllo' should be a normal piece"));
        Assert.Equal(text, tokenizer.Decode(ids));
    }

    [SkippableFact]
    public void Extra_spaces_are_removed_and_the_dummy_prefix_is_added_as_sentencepiece_does()
    {
        var tokenizer = LoadStories();

        Assert.Empty(tokenizer.Encode(string.Empty));
        Assert.Empty(tokenizer.Encode("   "));
        Assert.Equal(tokenizer.Encode("a b"), tokenizer.Encode("  a   b  "));
        Assert.StartsWith("\u2581", tokenizer.IdToPiece(tokenizer.Encode("Once")[0]), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Decode_omits_control_tokens()
    {
        var tokenizer = LoadStories();
        var ids = new List<int> { 1 };
        ids.AddRange(tokenizer.Encode("Once upon a time"));
        ids.Add(2);

        Assert.Equal("Once upon a time", tokenizer.Decode(ids));
    }

    [SkippableFact]
    public void Llama2_decoding_keeps_the_space_after_the_consumed_dummy_prefix()
    {
        var tokenizer = LoadLlama2();
        const string text = " = Temnospondyli = ";

        // Encodes as "▁" then "▁=": only the first space is the dummy prefix.
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [SkippableTheory]
    [InlineData("text/wikitext-2-raw/wiki.test.raw")]
    [InlineData("text/ptb/ptb.test.txt")]
    [InlineData("text/wikitext-2/test.txt")]
    public void Llama2_real_lines_round_trip_through_decode(string textFixture)
    {
        var tokenizer = LoadLlama2();

        foreach (var line in FixtureText.Lines(textFixture, 300))
        {
            Assert.Equal(line, tokenizer.Decode(tokenizer.Encode(line)));
        }
    }

    [SkippableFact]
    public void Unpaired_surrogates_encode_as_the_replacement_character()
    {
        var tokenizer = LoadLlama2();

        Assert.Equal(tokenizer.Encode("a\uFFFDb"), tokenizer.Encode("a\uD800b"));
        Assert.Equal(tokenizer.Encode("x \uFFFD"), tokenizer.Encode("x \uDC00"));
        Assert.Equal("a\uFFFDb", tokenizer.Decode(tokenizer.Encode("a\uD800b")));
    }

    [SkippableFact]
    public void Ids_past_the_pieces_decode_to_nothing()
    {
        var tokenizer = LoadStories();
        var ids = tokenizer.Encode("Once upon a time");

        Assert.Equal("Once upon a time", tokenizer.Decode([.. ids, tokenizer.VocabSize, tokenizer.VocabSize + 1000]));
    }

    [Fact]
    public void Truncated_model_throws_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"a3-truncated-{Guid.NewGuid():N}.model");

        // A piece message whose declared length runs past the end of the data.
        File.WriteAllBytes(path, [0x0A, 0x20, 0x0A, 0x03, (byte)'a', (byte)'b']);
        try
        {
            var ex = Assert.Throws<A3InputException>(() => SentencePieceBpeTokenizer.Load(path));
            Assert.Equal(A3ErrorCodes.InvalidTokenizer, ex.Code);
            Assert.Equal(path, ex.FilePath);
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public void Real_model_cut_short_throws_naming_the_file()
    {
        var bytes = File.ReadAllBytes(Fixtures.Require("llama2c/stories260K/tok512.model"));
        var path = Path.Combine(Path.GetTempPath(), $"a3-cut-{Guid.NewGuid():N}.model");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2 + 3)]);
        try
        {
            var ex = Assert.Throws<A3InputException>(() => SentencePieceBpeTokenizer.Load(path));
            Assert.Equal(A3ErrorCodes.InvalidTokenizer, ex.Code);
            Assert.Equal(path, ex.FilePath);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Non_bpe_model_is_rejected()
    {
        // One piece "a", then trainer_spec { model_type: UNIGRAM (1) }.
        byte[] model = [0x0A, 0x03, 0x0A, 0x01, (byte)'a', 0x12, 0x02, 0x18, 0x01];

        var ex = Assert.Throws<A3InputException>(() => SentencePieceBpeTokenizer.FromBytes(model, "unigram.model"));

        Assert.Equal(A3ErrorCodes.InvalidTokenizer, ex.Code);
        Assert.Contains("model_type 1", ex.Message, StringComparison.Ordinal);
    }
}
