using System.Text;
using System.Text.Json;

namespace A3.Tokenizers;

/// <summary>
/// The <c>decoder</c> of a SentencePiece-style <c>tokenizer.json</c>, applied as Hugging Face's
/// <c>decode_chain</c> does: each step maps the list of token strings to a new list, then the list is
/// concatenated. Supported steps: <c>Replace</c> (of a string), <c>ByteFallback</c>, <c>Fuse</c>,
/// <c>Strip</c>, <c>Metaspace</c>, and a <c>Sequence</c> of them.
/// </summary>
internal sealed class TokenizerJsonDecoder
{
    private readonly List<Func<List<string>, List<string>>> steps = [];

    private TokenizerJsonDecoder()
    {
    }

    /// <summary>Builds the decoder of a <c>decoder</c> section (none: tokens are concatenated as they are).</summary>
    /// <exception cref="NotSupportedException">A step is not supported; the message names it.</exception>
    public static TokenizerJsonDecoder From(JsonElement? section)
    {
        var decoder = new TokenizerJsonDecoder();
        if (section is { } element)
        {
            decoder.Add(element);
        }

        return decoder;
    }

    /// <summary>Decodes token strings (vocabulary pieces and added-token contents) into text.</summary>
    public string Decode(List<string> tokens)
    {
        foreach (var step in steps)
        {
            tokens = step(tokens);
        }

        return string.Concat(tokens);
    }

    private static List<string> ByteFallback(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        var bytes = new List<byte>();
        var strict = new UTF8Encoding(false, true);

        void Flush()
        {
            if (bytes.Count == 0)
            {
                return;
            }

            try
            {
                result.Add(strict.GetString(bytes.ToArray()));
            }
            catch (DecoderFallbackException)
            {
                // Hugging Face emits one replacement character per byte token of a run that is not valid UTF-8.
                result.AddRange(Enumerable.Repeat(Utf16Text.ReplacementCharacter.ToString(), bytes.Count));
            }

            bytes.Clear();
        }

        foreach (var token in tokens)
        {
            if (BytePiece.TryParse(token, out var value))
            {
                bytes.Add(value);
                continue;
            }

            Flush();
            result.Add(token);
        }

        Flush();
        return result;
    }

    private static string StripCharacter(string token, char content, int start, int stop)
    {
        var from = 0;
        while (from < start && from < token.Length && token[from] == content)
        {
            from++;
        }

        var to = token.Length;
        while (token.Length - to < stop && to > from && token[to - 1] == content)
        {
            to--;
        }

        return token[from..to];
    }

    private void Add(JsonElement step)
    {
        var type = step.GetProperty("type").GetString();
        switch (type)
        {
            case "Sequence":
                foreach (var inner in step.GetProperty("decoders").EnumerateArray())
                {
                    Add(inner);
                }

                break;
            case "Replace":
                if (!step.GetProperty("pattern").TryGetProperty("String", out var pattern))
                {
                    throw new NotSupportedException("a Replace decoder with a regex pattern");
                }

                var from = pattern.GetString()!;
                var to = step.GetProperty("content").GetString()!;
                steps.Add(tokens => tokens.Select(t => t.Replace(from, to, StringComparison.Ordinal)).ToList());
                break;
            case "ByteFallback":
                steps.Add(ByteFallback);
                break;
            case "Fuse":
                steps.Add(tokens => [string.Concat(tokens)]);
                break;
            case "Strip":
                var content = step.GetProperty("content").GetString()!;
                if (content.Length != 1)
                {
                    throw new NotSupportedException($"a Strip decoder of '{content}'");
                }

                var start = step.GetProperty("start").GetInt32();
                var stop = step.GetProperty("stop").GetInt32();
                steps.Add(tokens => tokens.Select(t => StripCharacter(t, content[0], start, stop)).ToList());
                break;
            case "Metaspace":
                var replacement = step.GetProperty("replacement").GetString()!;
                var stripFirst = MetaspaceSettings.PrependScheme(step) != "never";
                steps.Add(tokens => tokens.Select((t, i) =>
                {
                    var text = t.Replace(replacement, " ", StringComparison.Ordinal);
                    return i == 0 && stripFirst && text.StartsWith(' ') ? text[1..] : text;
                }).ToList());
                break;
            default:
                throw new NotSupportedException($"decoder '{type}'");
        }
    }
}
