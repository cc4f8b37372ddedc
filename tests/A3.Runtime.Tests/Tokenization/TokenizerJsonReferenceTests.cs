using System.Text.Json;
using System.Text.Json.Nodes;
using A3.Tests;
using A3.Tokenizers;
using Xunit.Abstractions;

namespace A3.Runtime.Tests.Tokenization;

/// <summary>
/// The real tokenizer.json files of three model families against Hugging Face's own implementation
/// (<see cref="HuggingFaceReference"/>): ids, decoded text and special tokens on real text.
/// </summary>
public sealed class TokenizerJsonReferenceTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData("llama3")]
    [InlineData("qwen3")]
    [InlineData("mistral-bytefallback")]
    public void Real_text_encodes_to_the_reference_ids_and_decodes_to_the_reference_text(string name)
    {
        var (ours, reference) = Open(name);
        using var _ = reference;
        var lines = FixtureText.Mixed();

        var mismatches = new List<string>();
        var roundTrips = 0;
        foreach (var (source, text) in lines)
        {
            var expected = reference.EncodeWithoutTemplate(text);
            var actual = ours.Encode(text).ToArray();
            if (!expected.SequenceEqual(actual))
            {
                mismatches.Add($"{source}: '{text}'");
                continue;
            }

            Assert.Equal(reference.Decode(expected), ours.Decode(actual));
            roundTrips += ours.Decode(actual) == text ? 1 : 0;
        }

        output.WriteLine($"{name}: {lines.Count - mismatches.Count}/{lines.Count} lines give the reference ids; {roundTrips} decode back to the line exactly");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {lines.Count} lines differ from the reference, first: {mismatches.FirstOrDefault()}");
    }

    [SkippableTheory]
    [InlineData("llama3")]
    [InlineData("qwen3")]
    [InlineData("mistral-bytefallback")]
    public void Special_tokens_in_the_text_match_the_reference_and_decode_skips_them(string name)
    {
        var (ours, reference) = Open(name);
        using var _ = reference;
        var eos = DeclaredToken(name, "eos_token")!;
        var lines = FixtureText.Lines("text/wikitext-2-raw/wiki.test.raw", 40);

        for (var i = 0; i + 1 < lines.Count; i += 2)
        {
            var text = lines[i] + eos + lines[i + 1] + eos;
            var expected = reference.EncodeWithoutTemplate(text);

            Assert.Equal(expected, ours.Encode(text));
            Assert.Equal(reference.Decode(expected), ours.Decode(expected));
        }
    }

    [SkippableTheory]
    [InlineData("llama3")]
    [InlineData("qwen3")]
    [InlineData("mistral-bytefallback")]
    public void Bos_is_the_declared_token_and_eos_the_declared_one(string name)
    {
        var (ours, reference) = Open(name);
        using var _ = reference;
        var bos = DeclaredToken(name, "bos_token");

        // The declared content's id, as the reference tokenizer maps it; null where the model declares none (Qwen).
        Assert.Equal(bos is null ? null : Assert.Single(reference.EncodeWithoutTemplate(bos)), ours.BosId);
        Assert.Equal(Assert.Single(reference.EncodeWithoutTemplate(DeclaredToken(name, "eos_token")!)), ours.EosId);

        // Where the file's own post-processor adds a BOS, it is the same one.
        if (reference.TemplatePrefix.Length > 0)
        {
            Assert.Equal(reference.TemplatePrefix[0], ours.BosId);
        }
    }

    [SkippableFact]
    public void Qwen3_hello_is_one_token_with_no_bos()
    {
        var (ours, reference) = Open("qwen3");
        using var _ = reference;

        Assert.Null(ours.BosId);
        Assert.Empty(reference.TemplatePrefix);
        Assert.Equal(reference.Encode("hello"), ours.Encode("hello"));
    }

    [SkippableTheory]
    [InlineData("llama3")]
    [InlineData("qwen3")]
    [InlineData("mistral-bytefallback")]
    public void Unpaired_surrogates_encode_as_the_replacement_character(string name)
    {
        var (ours, reference) = Open(name);
        using var _ = reference;

        foreach (var (broken, repaired) in new[] { ("a\uD800b", "a\uFFFDb"), ("end\uDC00", "end\uFFFD"), ("\uDBFF start 😀", "\uFFFD start 😀") })
        {
            Assert.Equal(reference.EncodeWithoutTemplate(repaired), ours.Encode(broken));
        }
    }

    [SkippableTheory]
    [InlineData("llama3")]
    [InlineData("qwen3")]
    [InlineData("mistral-bytefallback")]
    public void Ids_past_the_tokenizer_decode_to_nothing_as_in_the_reference(string name)
    {
        var (ours, reference) = Open(name);
        using var _ = reference;
        var ids = ours.Encode("Hello world").Concat([ours.VocabSize, ours.VocabSize + 266]).Concat(ours.Encode(" again")).ToArray();

        Assert.Equal(reference.Decode(ids), ours.Decode(ids));
    }

    [SkippableFact]
    public void A_metaspace_pre_tokenizer_gives_the_reference_ids()
    {
        // The newer form of the same vocabulary: no normalizer, a Metaspace pre-tokenizer prepending '▁' to the first stretch only.
        var source = Fixtures.Require("tokenizers/mistral-bytefallback/tokenizer.json");
        var root = JsonNode.Parse(File.ReadAllText(source))!;
        root["normalizer"] = null;
        root["pre_tokenizer"] = JsonNode.Parse("""{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false}""");
        root["decoder"] = JsonNode.Parse("""{"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "▁"}, "content": " "}, {"type": "ByteFallback"}, {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}""");
        var folder = Path.Combine(Path.GetTempPath(), $"a3-metaspace-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var path = Path.Combine(folder, "tokenizer.json");
            File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            var ours = TokenizerLoader.Load(folder);
            using var reference = HuggingFaceReference.Open(path);
            var texts = FixtureText.Lines("text/wikitext-2-raw/wiki.test.raw", 100).Concat(["hello</s> world<s>", "  two leading spaces"]);

            foreach (var text in texts)
            {
                var expected = reference.EncodeWithoutTemplate(text);
                Assert.Equal(expected, ours.Encode(text));
                Assert.Equal(reference.Decode(expected), ours.Decode(expected));
            }
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    private static (ITokenizer Ours, HuggingFaceReference Reference) Open(string name)
    {
        var folder = Fixtures.Require($"tokenizers/{name}");
        var reference = HuggingFaceReference.Open(Path.Combine(folder, "tokenizer.json"));
        return (TokenizerLoader.Load(folder), reference);
    }

    private static string? DeclaredToken(string name, string property)
    {
        using var config = JsonDocument.Parse(File.ReadAllBytes(Fixtures.Require($"tokenizers/{name}/tokenizer_config.json")));
        var value = config.RootElement.GetProperty(property);
        return value.ValueKind == JsonValueKind.Null ? null : value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetProperty("content").GetString();
    }
}
