using System.Text.Json;
using System.Text.Json.Nodes;
using A3.Tokenizers;

namespace A3.Runtime.Tests.Tokenization;

/// <summary>
/// Hand-built tokenizer.json files: ids 0..255 are the byte-level symbols of bytes 0..255, then a few
/// merges whose results are worked out by hand in each test. No real model's tokenizer.json was available.
/// </summary>
public class ByteLevelBpeTokenizerTests
{
    private const string Llama3Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    // Rank order matters: "Ġ 1" (rank 6) beats "1 2" (rank 7).
    private static readonly (string Left, string Right, int Id)[] Merges =
    [
        ("Ġ", "t", 256), ("h", "e", 257), ("Ġt", "he", 258), ("l", "o", 259),
        ("lo", "w", 260), ("e", "r", 261), ("Ġ", "1", 263), ("1", "2", 264), ("o", "o", 268),
    ];

    [Fact]
    public void Gpt2_style_merges_follow_rank_order()
    {
        var tokenizer = ByteLevelBpeTokenizer.FromJson(Gpt2Json(mergesAsArrays: false));

        // "the" -> t,h,e -> t,he. " lower" -> Ġ,l,o,w,e,r -> lo (rank 3), low (4), er (5).
        Assert.Equal(new[] { 116, 257, 32, 260, 261 }, tokenizer.Encode("the lower"));

        // " the" -> Ġt (rank 0), he (1), Ġthe (2).
        Assert.Equal(new[] { 116, 257, 258 }, tokenizer.Encode("the the"));

        // GPT-2's regex keeps " 123456" as one word: "Ġ 1" (rank 6) wins over "1 2" (rank 7).
        Assert.Equal(new[] { 116, 257, 263, 50, 51, 52, 53, 54 }, tokenizer.Encode("the 123456"));
    }

    [Fact]
    public void Equal_rank_pairs_merge_leftmost_first()
    {
        var tokenizer = ByteLevelBpeTokenizer.FromJson(Gpt2Json(mergesAsArrays: false));

        // Both pairs of "ooo" are "o o"; the left one merges first, leaving the last 'o' alone.
        Assert.Equal(new[] { 268, 111 }, tokenizer.Encode("ooo"));
    }

    [Fact]
    public void Merges_as_arrays_give_the_same_ids_as_merges_as_strings()
    {
        var asStrings = ByteLevelBpeTokenizer.FromJson(Gpt2Json(mergesAsArrays: false));
        var asArrays = ByteLevelBpeTokenizer.FromJson(Gpt2Json(mergesAsArrays: true));

        foreach (var text in new[] { "the lower", "the 123456", "Hello wörld ☃" })
        {
            Assert.Equal(asStrings.Encode(text), asArrays.Encode(text));
        }
    }

    [Fact]
    public void Merges_written_before_the_vocabulary_give_the_same_ids()
    {
        var root = JsonNode.Parse(Gpt2Json(mergesAsArrays: false))!;
        var model = root["model"]!.AsObject();
        var vocab = model["vocab"]!;
        model.Remove("vocab");
        model["vocab"] = vocab;

        var reordered = ByteLevelBpeTokenizer.FromJson(root.ToJsonString());
        var original = ByteLevelBpeTokenizer.FromJson(Gpt2Json(mergesAsArrays: false));

        foreach (var text in new[] { "the lower", "the 123456", "ooo" })
        {
            Assert.Equal(original.Encode(text), reordered.Encode(text));
        }
    }

    [Fact]
    public void Added_special_tokens_are_matched_before_bpe_and_skipped_by_decode()
    {
        var tokenizer = ByteLevelBpeTokenizer.FromJson(Gpt2Json(mergesAsArrays: false));

        // é is UTF-8 C3 A9; each byte is its own symbol and id.
        Assert.Equal(new[] { 116, 257, 262, 0xC3, 0xA9 }, tokenizer.Encode("the<|endoftext|>é"));
        Assert.Equal("theé", tokenizer.Decode(tokenizer.Encode("the<|endoftext|>é")));
    }

    [Fact]
    public void Bos_and_eos_are_what_is_declared_never_guessed_from_token_names()
    {
        var undeclared = ByteLevelBpeTokenizer.FromJson(Llama3Json(ignoreMerges: false));
        var declared = ByteLevelBpeTokenizer.FromJson(Llama3Json(ignoreMerges: false), bosToken: "<|begin_of_text|>", eosToken: "<|end_of_text|>");

        // The vocabulary holds <|begin_of_text|> and <|end_of_text|>, but nothing declares them.
        Assert.Null(undeclared.BosId);
        Assert.Null(undeclared.EosId);
        Assert.Equal(266, declared.BosId);
        Assert.Equal(267, declared.EosId);
    }

    [Fact]
    public void A_declared_token_missing_from_the_vocabulary_is_rejected()
    {
        var ex = Assert.Throws<A3InputException>(() => ByteLevelBpeTokenizer.FromJson(Gpt2Json(mergesAsArrays: false), "t.json", bosToken: "<s>"));

        Assert.Equal(A3ErrorCodes.InvalidTokenizer, ex.Code);
        Assert.Contains("'<s>'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("t.json", ex.FilePath);
    }

    [Fact]
    public void A_template_post_processor_declares_the_bos_it_adds()
    {
        var root = JsonNode.Parse(Llama3Json(ignoreMerges: false))!;
        root["post_processor"] = JsonNode.Parse(
            """
            {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
             "special_tokens": {"<|begin_of_text|>": {"id": "<|begin_of_text|>", "ids": [266], "tokens": ["<|begin_of_text|>"]}}}
            """);

        Assert.Equal(266, ByteLevelBpeTokenizer.FromJson(root.ToJsonString()).BosId);
    }

    [Fact]
    public void Decode_inverts_encode_for_any_text()
    {
        var tokenizer = ByteLevelBpeTokenizer.FromJson(Gpt2Json(mergesAsArrays: false));
        const string text = "Hello wörld ☃ the lower\n\n  tabs\tand 日本 123456";

        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void Llama3_style_split_isolates_digit_groups_before_byte_level_mapping()
    {
        var tokenizer = ByteLevelBpeTokenizer.FromJson(Llama3Json(ignoreMerges: false));

        // Words "the", " ", "123", "456": the space is its own word, so "Ġ 1" cannot apply and "1 2" does.
        Assert.Equal(new[] { 116, 257, 32, 264, 51, 52, 53, 54 }, tokenizer.Encode("the 123456"));
        Assert.Equal(new[] { 116, 257, 32, 260, 261 }, tokenizer.Encode("the lower"));
        Assert.Equal(new[] { 266, 116, 257 }, tokenizer.Encode("<|begin_of_text|>the"));
    }

    [Fact]
    public void Ignore_merges_takes_a_whole_word_found_in_the_vocabulary()
    {
        var tokenizer = ByteLevelBpeTokenizer.FromJson(Llama3Json(ignoreMerges: true));

        // "Ġlower" (265) is in the vocabulary although no merge builds it.
        Assert.Equal(new[] { 116, 257, 265 }, tokenizer.Encode("the lower"));
        Assert.Equal("the lower", tokenizer.Decode([116, 257, 265]));
    }

    [Fact]
    public void Sentencepiece_style_tokenizer_json_is_rejected()
    {
        var root = JsonNode.Parse(Gpt2Json(mergesAsArrays: false))!;
        root["model"]!["byte_fallback"] = true;

        var ex = Assert.Throws<A3InputException>(() => ByteLevelBpeTokenizer.FromJson(root.ToJsonString(), "x/tokenizer.json"));

        Assert.Equal(A3ErrorCodes.InvalidTokenizer, ex.Code);
        Assert.Equal("x/tokenizer.json", ex.FilePath);
        Assert.False(ByteLevelBpeTokenizer.IsByteLevel(root.ToJsonString()));
        Assert.True(ByteLevelBpeTokenizer.IsByteLevel(Gpt2Json(mergesAsArrays: false)));
    }

    [Fact]
    public void Malformed_json_throws_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"a3-{Guid.NewGuid():N}", "tokenizer.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{\"model\": {\"type\": \"BPE\", \"vocab\": ");
        try
        {
            var ex = Assert.Throws<A3InputException>(() => ByteLevelBpeTokenizer.Load(path));
            Assert.Equal(A3ErrorCodes.InvalidTokenizer, ex.Code);
            Assert.Equal(path, ex.FilePath);
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, true);
        }
    }

    [Fact]
    public void Merge_producing_a_token_missing_from_the_vocabulary_is_rejected()
    {
        var root = JsonNode.Parse(Gpt2Json(mergesAsArrays: false))!;
        ((JsonArray)root["model"]!["merges"]!).Add("x y");

        var ex = Assert.Throws<A3InputException>(() => ByteLevelBpeTokenizer.FromJson(root.ToJsonString(), "m.json"));

        Assert.Contains("'xy'", ex.Message, StringComparison.Ordinal);
    }

    internal static string Gpt2Json(bool mergesAsArrays) => BuildJson(
        mergesAsArrays,
        new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true },
        ignoreMerges: false,
        [("<|endoftext|>", 262)]);

    private static string Llama3Json(bool ignoreMerges) => BuildJson(
        mergesAsArrays: true,
        new JsonObject
        {
            ["type"] = "Sequence",
            ["pretokenizers"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "Split",
                    ["pattern"] = new JsonObject { ["Regex"] = Llama3Pattern },
                    ["behavior"] = "Isolated",
                    ["invert"] = false,
                },
                new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false }),
        },
        ignoreMerges,
        [("<|begin_of_text|>", 266), ("<|end_of_text|>", 267)]);

    private static string BuildJson(bool mergesAsArrays, JsonObject preTokenizer, bool ignoreMerges, (string Content, int Id)[] added)
    {
        var vocab = new JsonObject();
        for (var b = 0; b < 256; b++)
        {
            vocab[ByteLevelSymbol((byte)b)] = b;
        }

        foreach (var (left, right, id) in Merges)
        {
            vocab[left + right] = id;
        }

        vocab["Ġlower"] = 265;
        foreach (var (content, id) in added)
        {
            vocab[content] = id;
        }

        var merges = new JsonArray();
        foreach (var (left, right, _) in Merges)
        {
            merges.Add(mergesAsArrays ? new JsonArray(left, right) : JsonValue.Create($"{left} {right}"));
        }

        var addedTokens = new JsonArray();
        foreach (var (content, id) in added)
        {
            addedTokens.Add(new JsonObject { ["id"] = id, ["content"] = content, ["special"] = true, ["normalized"] = false });
        }

        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = addedTokens,
            ["normalizer"] = null,
            ["pre_tokenizer"] = preTokenizer,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["ignore_merges"] = ignoreMerges,
                ["vocab"] = vocab,
                ["merges"] = merges,
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    // GPT-2's bytes_to_unicode, written out independently of the production map.
    private static string ByteLevelSymbol(byte b)
    {
        var printable = b is >= 0x21 and <= 0x7E or >= 0xA1 and <= 0xAC or >= 0xAE;
        if (printable)
        {
            return ((char)b).ToString();
        }

        var offset = 0;
        for (var x = 0; x < b; x++)
        {
            if (!(x is >= 0x21 and <= 0x7E or >= 0xA1 and <= 0xAC or >= 0xAE))
            {
                offset++;
            }
        }

        return ((char)(256 + offset)).ToString();
    }
}
