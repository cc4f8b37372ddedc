using System.Text.Json;

namespace A3.Tokenizers;

/// <summary>
/// Reads a Hugging Face <c>tokenizer.json</c> BPE model in one forward pass over its UTF-8 bytes. The
/// vocabulary and merges (hundreds of thousands of entries in real files) are read straight from the
/// token stream into tables sized once; each merge is kept as the file's own <c>"left right"</c> string
/// with a single vocabulary lookup to validate it, where a document object model of the whole file, a
/// UTF-16 copy of it and three strings per merge made the load slow. The small sections (normalizer,
/// pre-tokenizer, post-processor, decoder) are kept as <see cref="JsonElement"/>s for the tokenizers to interpret.
/// </summary>
internal static class TokenizerJsonReader
{
    // Scratch space for a merged token; a longer one gets its own array.
    private const int ScratchChars = 1024;

    /// <summary>Reads a BPE <c>tokenizer.json</c>.</summary>
    /// <exception cref="JsonException">The bytes are not valid JSON.</exception>
    /// <exception cref="FormatException">The JSON is not a well-formed BPE tokenizer.</exception>
    public static TokenizerJsonData Read(ReadOnlySpan<byte> utf8)
    {
        var data = new TokenizerJsonData();

        // Real files spend about 64 bytes per vocabulary entry and hold up to two merges per entry;
        // sizing the tables once avoids rehashing hundreds of thousands of entries as they grow.
        var estimatedEntries = utf8.Length / 64;
        data.Vocab.EnsureCapacity(estimatedEntries);
        data.MergeRanks = new BpeMergeRanks(2 * estimatedEntries);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
        Expect(ref reader, JsonTokenType.StartObject, "the file");
        var sawModel = false;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            Next(ref reader);
            switch (name)
            {
                case "model":
                    ReadModel(ref reader, data);
                    sawModel = true;
                    break;
                case "added_tokens":
                    ReadAddedTokens(ref reader, data);
                    break;
                case "normalizer":
                    data.Normalizer = Section(ref reader);
                    break;
                case "pre_tokenizer":
                    data.PreTokenizer = Section(ref reader);
                    break;
                case "post_processor":
                    data.PostProcessor = Section(ref reader);
                    break;
                case "decoder":
                    data.Decoder = Section(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (!sawModel)
        {
            throw new FormatException("it has no model");
        }

        return data;
    }

    /// <summary>Reads only the <c>model</c> section's <c>type</c> and <c>byte_fallback</c> and whether a ByteLevel pre-tokenizer is present.</summary>
    /// <exception cref="JsonException">The bytes are not valid JSON.</exception>
    public static bool IsByteLevel(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        Expect(ref reader, JsonTokenType.StartObject, "the file");
        var byteFallback = false;
        var byteLevel = false;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            Next(ref reader);
            if (name == "model" && reader.TokenType == JsonTokenType.StartObject)
            {
                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    var property = reader.GetString();
                    Next(ref reader);
                    if (property == "byte_fallback")
                    {
                        byteFallback = reader.TokenType == JsonTokenType.True;
                    }

                    reader.Skip();
                }
            }
            else if (name == "pre_tokenizer")
            {
                using var section = JsonDocument.ParseValue(ref reader);
                byteLevel = ContainsType(section.RootElement, "ByteLevel");
            }
            else
            {
                reader.Skip();
            }
        }

        return byteLevel && !byteFallback;
    }

    /// <summary>Returns true when a pre-tokenizer (or a Sequence holding one) has the given type.</summary>
    public static bool ContainsType(JsonElement element, string type)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (element.TryGetProperty("type", out var t) && t.GetString() == type)
        {
            return true;
        }

        return element.TryGetProperty("pretokenizers", out var list) && list.ValueKind == JsonValueKind.Array
            && list.EnumerateArray().Any(e => ContainsType(e, type));
    }

    private static void ReadModel(ref Utf8JsonReader reader, TokenizerJsonData data)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("its model is not an object");
        }

        List<(string Left, string Right)>? earlyMerges = null;
        var sawVocab = false;
        var mergeCount = 0;
        Span<char> buffer = new char[ScratchChars];
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            Next(ref reader);
            switch (name)
            {
                case "type":
                    var type = reader.GetString();
                    if (type != "BPE")
                    {
                        throw new NotSupportedException($"model type '{type}'");
                    }

                    break;
                case "vocab":
                    ReadVocab(ref reader, data);
                    sawVocab = true;
                    if (earlyMerges is not null)
                    {
                        var vocab = data.Vocab.GetAlternateLookup<ReadOnlySpan<char>>();
                        foreach (var (left, right) in earlyMerges)
                        {
                            AddMerge(data, vocab, null, left, right, mergeCount++, buffer);
                        }

                        earlyMerges = null;
                    }

                    break;
                case "merges" when sawVocab:
                    ReadMerges(ref reader, data, buffer);
                    break;
                case "merges":
                    Expect(reader.TokenType, JsonTokenType.StartArray, "merges");
                    earlyMerges = [];
                    while (Next(ref reader) != JsonTokenType.EndArray)
                    {
                        earlyMerges.Add(ReadMergeStrings(ref reader, earlyMerges.Count));
                    }

                    break;
                case "byte_fallback":
                    data.ByteFallback = reader.TokenType == JsonTokenType.True;
                    break;
                case "ignore_merges":
                    data.IgnoreMerges = reader.TokenType == JsonTokenType.True;
                    break;
                case "fuse_unk":
                    data.FuseUnknown = reader.TokenType == JsonTokenType.True;
                    break;
                case "unk_token":
                    data.UnknownToken = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    break;
                case "dropout":
                    if (reader.TokenType == JsonTokenType.Number && reader.GetDouble() > 0)
                    {
                        throw new NotSupportedException("BPE dropout");
                    }

                    break;
                case "continuing_subword_prefix" or "end_of_word_suffix":
                    if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
                    {
                        throw new NotSupportedException($"a non-empty {name}");
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (!sawVocab)
        {
            throw new FormatException("its model has no vocab");
        }
    }

    // The two loops below run hundreds of thousands of times during a load that happens once per
    // process: compiled optimized at once rather than starting in tier-0 code.
    private static void ReadVocab(ref Utf8JsonReader reader, TokenizerJsonData data)
    {
        Expect(reader.TokenType, JsonTokenType.StartObject, "vocab");
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var token = reader.GetString()!;
            Next(ref reader);
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var id) || id < 0)
            {
                throw new FormatException($"vocab entry '{token}' has no non-negative integer id");
            }

            data.Vocab[token] = id;
        }
    }

    private static void ReadMerges(ref Utf8JsonReader reader, TokenizerJsonData data, Span<char> buffer)
    {
        Expect(reader.TokenType, JsonTokenType.StartArray, "merges");
        var vocab = data.Vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        var rank = 0;
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                // The file's "left right" string is the key itself: one string per merge, no splitting.
                var text = reader.GetString()!;
                var space = SpaceOf(text, rank);
                AddMerge(data, vocab, text, text.AsSpan(0, space), text.AsSpan(space + 1), rank++, buffer);
            }
            else if (TryReadMergePair(ref reader, buffer, out var leftLength, out var length))
            {
                // [left, right] is copied as "left right" into the scratch buffer: one string per merge.
                var key = buffer[..length];
                AddMerge(data, vocab, null, key[..leftLength], key[(leftLength + 1)..], rank++, buffer[length..]);
            }
            else
            {
                var (left, right) = ReadMergeStrings(ref reader, rank);
                AddMerge(data, vocab, null, left, right, rank++, buffer);
            }
        }
    }

    /// <summary>
    /// Copies a <c>[left, right]</c> merge whose strings fit in <paramref name="buffer"/> as <c>"left right"</c>;
    /// false, with the reader unmoved, for anything else (which the string-allocating path then handles).
    /// </summary>
    private static bool TryReadMergePair(ref Utf8JsonReader reader, Span<char> buffer, out int leftLength, out int length)
    {
        leftLength = length = 0;
        var start = reader;
        if (reader.TokenType != JsonTokenType.StartArray
            || !reader.Read() || reader.TokenType != JsonTokenType.String || !Fits(ref reader, buffer.Length / 4))
        {
            reader = start;
            return false;
        }

        leftLength = reader.CopyString(buffer);
        buffer[leftLength] = ' ';
        if (!reader.Read() || reader.TokenType != JsonTokenType.String || !Fits(ref reader, buffer.Length / 4))
        {
            reader = start;
            return false;
        }

        length = leftLength + 1 + reader.CopyString(buffer[(leftLength + 1)..]);
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
        {
            reader = start;
            return false;
        }

        return true;

        // A UTF-8 byte never becomes more than one UTF-16 char, nor an escape sequence more chars than it has bytes.
        static bool Fits(ref Utf8JsonReader reader, int chars) =>
            (reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) <= chars;
    }

    private static (string Left, string Right) ReadMergeStrings(ref Utf8JsonReader reader, int rank)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString()!;
            var space = SpaceOf(text, rank);
            return (text[..space], text[(space + 1)..]);
        }

        if (reader.TokenType == JsonTokenType.StartArray && Next(ref reader) == JsonTokenType.String)
        {
            var left = reader.GetString()!;
            if (Next(ref reader) == JsonTokenType.String)
            {
                var right = reader.GetString()!;
                if (Next(ref reader) == JsonTokenType.EndArray)
                {
                    return (left, right);
                }
            }
        }

        throw new FormatException($"merge {rank} is neither \"a b\" nor [a, b]");
    }

    private static int SpaceOf(string text, int rank)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && space < text.Length - 1 && text.IndexOf(' ', space + 1) < 0
            ? space
            : throw new FormatException($"merge {rank} '{text}' is not two space-separated tokens");
    }

    private static void AddMerge(
        TokenizerJsonData data,
        Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> vocab,
        string? key,
        ReadOnlySpan<char> left,
        ReadOnlySpan<char> right,
        int rank,
        Span<char> scratch)
    {
        if (left.Contains(' ') || right.Contains(' ') || left.IsEmpty || right.IsEmpty)
        {
            throw new FormatException($"merge {rank} ('{left}', '{right}') has an empty token or one holding a space");
        }

        // One lookup per merge: the merged token must exist, as Hugging Face requires.
        var merged = left.Length + right.Length <= scratch.Length ? scratch[..(left.Length + right.Length)] : new char[left.Length + right.Length];
        left.CopyTo(merged);
        right.CopyTo(merged[left.Length..]);
        if (!vocab.ContainsKey(merged))
        {
            throw new FormatException($"merge {rank} ('{left}', '{right}') produces '{merged}', which is not in the vocabulary");
        }

        data.MergeRanks.Add(key ?? string.Concat(left, " ", right), rank);
    }

    private static void ReadAddedTokens(ref Utf8JsonReader reader, TokenizerJsonData data)
    {
        Expect(reader.TokenType, JsonTokenType.StartArray, "added_tokens");
        while (Next(ref reader) == JsonTokenType.StartObject)
        {
            string? content = null;
            int? id = null;
            var special = false;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                Next(ref reader);
                switch (name)
                {
                    case "content":
                        content = reader.GetString();
                        break;
                    case "id":
                        id = reader.GetInt32();
                        break;
                    case "special":
                        special = reader.TokenType == JsonTokenType.True;
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (string.IsNullOrEmpty(content) || id is not >= 0)
            {
                throw new FormatException("an added token has empty content or no non-negative id");
            }

            data.AddedTokens.Add((content, id.Value, special));
        }

        Expect(reader.TokenType, JsonTokenType.EndArray, "added_tokens");
    }

    private static JsonElement? Section(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.Clone();
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new FormatException("the JSON ends early");
        }

        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string what)
    {
        Next(ref reader);
        Expect(reader.TokenType, expected, what);
    }

    private static void Expect(JsonTokenType actual, JsonTokenType expected, string what)
    {
        if (actual != expected)
        {
            throw new FormatException($"{what} is {Describe(actual)} where {Describe(expected)} was expected");
        }
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.EndArray => "the end of an array",
        _ => type.ToString(),
    };
}
