using System.Text.Json;

namespace A3.Tokenizers;

/// <summary>
/// The text preparation of a SentencePiece-style <c>tokenizer.json</c>: its <c>normalizer</c>
/// (<c>Prepend</c>, string <c>Replace</c>, or a <c>Sequence</c> of them) and an optional
/// <c>Metaspace</c> pre-tokenizer that does not split, applied to each stretch of text between added
/// tokens as Hugging Face does, so that the whole stretch is one BPE word.
/// </summary>
internal sealed class SentencePieceJsonNormalizer
{
    private readonly List<Func<string, int, string>> steps = [];

    private SentencePieceJsonNormalizer()
    {
    }

    /// <summary>Builds the preparation from the <c>normalizer</c> and <c>pre_tokenizer</c> sections.</summary>
    /// <exception cref="NotSupportedException">A part is not supported; the message names it.</exception>
    public static SentencePieceJsonNormalizer From(JsonElement? normalizer, JsonElement? preTokenizer)
    {
        var result = new SentencePieceJsonNormalizer();
        if (normalizer is { } n)
        {
            result.AddNormalizer(n);
        }

        if (preTokenizer is { } p)
        {
            result.AddPreTokenizer(p);
        }

        return result;
    }

    /// <summary>Prepares a stretch of text that starts at <paramref name="offset"/> in the input.</summary>
    public string Apply(string text, int offset)
    {
        foreach (var step in steps)
        {
            text = step(text, offset);
        }

        return text;
    }

    private void AddNormalizer(JsonElement normalizer)
    {
        var type = normalizer.GetProperty("type").GetString();
        switch (type)
        {
            case "Sequence":
                foreach (var inner in normalizer.GetProperty("normalizers").EnumerateArray())
                {
                    AddNormalizer(inner);
                }

                break;
            case "Prepend":
                var prefix = normalizer.GetProperty("prepend").GetString()!;
                steps.Add((text, _) => text.Length == 0 ? text : prefix + text);
                break;
            case "Replace":
                if (!normalizer.GetProperty("pattern").TryGetProperty("String", out var pattern))
                {
                    throw new NotSupportedException("a Replace normalizer with a regex pattern");
                }

                var from = pattern.GetString()!;
                var to = normalizer.GetProperty("content").GetString()!;
                steps.Add((text, _) => text.Replace(from, to, StringComparison.Ordinal));
                break;
            default:
                throw new NotSupportedException($"normalizer '{type}'");
        }
    }

    private void AddPreTokenizer(JsonElement preTokenizer)
    {
        var type = preTokenizer.GetProperty("type").GetString();
        if (type != "Metaspace")
        {
            throw new NotSupportedException($"pre-tokenizer '{type}' in a SentencePiece-style BPE");
        }

        if (!preTokenizer.TryGetProperty("split", out var split) || split.ValueKind != JsonValueKind.False)
        {
            throw new NotSupportedException("a Metaspace pre-tokenizer that splits words");
        }

        var replacement = preTokenizer.GetProperty("replacement").GetString()!;
        var scheme = MetaspaceSettings.PrependScheme(preTokenizer);
        steps.Add((text, offset) =>
        {
            text = text.Replace(" ", replacement, StringComparison.Ordinal);
            var prepend = scheme == "always" || (scheme == "first" && offset == 0);
            return prepend && !text.StartsWith(replacement, StringComparison.Ordinal) ? replacement + text : text;
        });
    }
}
