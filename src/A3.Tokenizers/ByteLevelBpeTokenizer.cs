using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using A3.Recipes;

namespace A3.Tokenizers;

/// <summary>
/// A byte-level BPE tokenizer read from a Hugging Face <c>tokenizer.json</c> (GPT-2, Llama 3, Qwen2 style):
/// added tokens matched literally first, then the configured normalizer and pre-tokenizers (ByteLevel,
/// Split by regex, or a Sequence of them), GPT-2's byte-to-character map, and rank-ordered merges.
/// </summary>
/// <remarks>
/// Only the parts of the format these model families use are supported; anything else (other
/// pre-tokenizer or normalizer types, SentencePiece-style byte fallback) is rejected with an
/// <see cref="A3InputException"/> rather than encoded approximately. Added tokens' <c>lstrip</c>,
/// <c>rstrip</c> and <c>single_word</c> flags are not applied. Text holding unpaired UTF-16 surrogates
/// is encoded as if each were U+FFFD, the replacement character. Decoding skips special tokens and,
/// as Hugging Face's <c>decode</c> does, ids the tokenizer does not have (such as a model's padding rows).
/// </remarks>
public sealed class ByteLevelBpeTokenizer : ITokenizer
{
    private const int MaxCacheEntries = 100_000;

    // GPT-2's pre-tokenization regex, applied by a ByteLevel pre-tokenizer with use_regex true.
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private readonly Dictionary<string, int> vocab;
    private readonly string?[] idToToken;
    private readonly BpeMergeRanks mergeRanks;
    private readonly bool ignoreMerges;
    private readonly List<Func<string, IEnumerable<string>>> preTokenizers;
    private readonly NormalizationForm[] normalizations;
    private readonly bool addPrefixSpace;
    private readonly AddedTokenMatcher addedTokens;
    private readonly ConcurrentDictionary<string, int[]> cache = new(StringComparer.Ordinal);

    private ByteLevelBpeTokenizer(TokenizerJsonData data, ByteLevelBpeDefinition parsed, SpecialTokenDeclarations declarations, string name)
    {
        vocab = data.Vocab;
        ignoreMerges = data.IgnoreMerges;
        mergeRanks = data.MergeRanks;
        preTokenizers = parsed.PreTokenizers;
        normalizations = parsed.Normalizations.ToArray();
        addPrefixSpace = parsed.AddPrefixSpace;
        addedTokens = new AddedTokenMatcher(data.AddedTokens);

        idToToken = new string?[data.IdCount];
        foreach (var (token, id) in vocab)
        {
            idToToken[id] ??= token;
        }

        (BosId, EosId) = declarations.Resolve(data.IdOf, idToToken.Length, formatBos: null, formatEos: null, name);
    }

    /// <inheritdoc />
    public int VocabSize => idToToken.Length;

    /// <inheritdoc />
    public int? BosId { get; }

    /// <inheritdoc />
    public int? EosId { get; }

    /// <summary>
    /// Loads a <c>tokenizer.json</c>. BOS and EOS come from the declarations of the files beside it
    /// (<c>tokenizer_config.json</c>, <c>generation_config.json</c>) and of its own post-processor; none is guessed.
    /// </summary>
    /// <param name="path">The <c>tokenizer.json</c> file.</param>
    /// <exception cref="A3InputException">The file is missing, malformed or uses unsupported features.</exception>
    public static ByteLevelBpeTokenizer Load(string path)
    {
        var (data, declarations) = TokenizerJsonFile.Load(path);
        return Create(data, declarations, path, path);
    }

    /// <summary>Reads a tokenizer from <c>tokenizer.json</c> text.</summary>
    /// <param name="json">The <c>tokenizer.json</c> contents.</param>
    /// <param name="sourcePath">The file the text came from, for error messages.</param>
    /// <param name="bosToken">The BOS token's content; when null, the BOS the JSON's <c>TemplateProcessing</c> post-processor adds, if any.</param>
    /// <param name="eosToken">The EOS token's content, when the model has one.</param>
    /// <exception cref="A3InputException">The JSON is malformed or uses unsupported features.</exception>
    public static ByteLevelBpeTokenizer FromJson(string json, string? sourcePath = null, string? bosToken = null, string? eosToken = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var name = sourcePath ?? "<tokenizer.json>";
        var data = TokenizerJsonFile.Read(Encoding.UTF8.GetBytes(json), name, sourcePath);
        var declarations = new SpecialTokenDeclarations
        {
            BosTokenDeclared = bosToken is not null,
            BosToken = bosToken,
            EosTokenDeclared = eosToken is not null,
            EosToken = eosToken,
        };
        return Create(data, declarations, name, sourcePath);
    }

    /// <summary>Returns true when <c>tokenizer.json</c> text describes a byte-level BPE model (a ByteLevel pre-tokenizer, no byte fallback).</summary>
    /// <param name="json">The <c>tokenizer.json</c> contents.</param>
    public static bool IsByteLevel(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return TokenizerJsonReader.IsByteLevel(Encoding.UTF8.GetBytes(json));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Returns the vocabulary token (byte-level characters) or added-token content of an id.</summary>
    /// <param name="id">The token id.</param>
    public string? IdToToken(int id) =>
        addedTokens.ContentOf(id) ?? ((uint)id < (uint)idToToken.Length ? idToToken[id] : null);

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = Utf16Text.ReplaceLoneSurrogates(text);
        var ids = new List<int>();
        addedTokens.Split(text, (segment, _) => EncodeOrdinary(segment, ids), ids.Add);
        return ids;
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (addedTokens.IsSpecial(id))
            {
                continue;
            }

            if (addedTokens.ContentOf(id) is { } content)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(content));
                continue;
            }

            var token = (uint)id < (uint)idToToken.Length ? idToToken[id] : null;
            if (token is null)
            {
                continue;
            }

            foreach (var c in token)
            {
                if (ByteLevelAlphabet.TryToByte(c, out var b))
                {
                    bytes.Add(b);
                }
                else
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                }
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Builds the tokenizer from a read <c>tokenizer.json</c>.</summary>
    internal static ByteLevelBpeTokenizer Create(TokenizerJsonData data, SpecialTokenDeclarations declarations, string name, string? sourcePath)
    {
        try
        {
            declarations.ReadPostProcessor(data.PostProcessor);
            var parsed = Interpret(data, name, sourcePath);
            return new ByteLevelBpeTokenizer(data, parsed, declarations, name);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentException)
        {
            throw new A3InputException(A3ErrorCodes.InvalidTokenizer, $"tokenizer '{name}' is malformed: {ex.Message}", sourcePath, ex);
        }
    }

    private static ByteLevelBpeDefinition Interpret(TokenizerJsonData data, string name, string? sourcePath)
    {
        A3InputException Unsupported(string what) =>
            new(A3ErrorCodes.InvalidTokenizer, $"tokenizer '{name}' uses {what}, which is not supported.", sourcePath);

        if (data.ByteFallback)
        {
            throw Unsupported("a SentencePiece-style BPE with byte_fallback (load it with TokenizerLoader)");
        }

        for (var b = 0; b < 256; b++)
        {
            if (!data.Vocab.ContainsKey(ByteLevelAlphabet.ToChar((byte)b).ToString()))
            {
                throw new FormatException($"the vocabulary lacks the byte-level symbol for byte 0x{b:X2}; it is not a byte-level BPE vocabulary");
            }
        }

        var parsed = new ByteLevelBpeDefinition();
        if (data.Normalizer is { } normalizer)
        {
            AddNormalizer(normalizer, parsed, Unsupported);
        }

        if (data.PreTokenizer is not { } pre || !TokenizerJsonReader.ContainsType(pre, "ByteLevel"))
        {
            throw Unsupported("no ByteLevel pre-tokenizer (so it is not a byte-level BPE)");
        }

        AddPreTokenizer(pre, parsed, Unsupported);
        return parsed;
    }

    private static void AddNormalizer(JsonElement normalizer, ByteLevelBpeDefinition parsed, Func<string, A3InputException> unsupported)
    {
        var type = normalizer.GetProperty("type").GetString();
        switch (type)
        {
            case "Sequence":
                foreach (var inner in normalizer.GetProperty("normalizers").EnumerateArray())
                {
                    AddNormalizer(inner, parsed, unsupported);
                }

                break;
            case "NFC":
                parsed.Normalizations.Add(NormalizationForm.FormC);
                break;
            case "NFD":
                parsed.Normalizations.Add(NormalizationForm.FormD);
                break;
            case "NFKC":
                parsed.Normalizations.Add(NormalizationForm.FormKC);
                break;
            case "NFKD":
                parsed.Normalizations.Add(NormalizationForm.FormKD);
                break;
            default:
                throw unsupported($"normalizer '{type}'");
        }
    }

    private static void AddPreTokenizer(JsonElement pre, ByteLevelBpeDefinition parsed, Func<string, A3InputException> unsupported)
    {
        var type = pre.GetProperty("type").GetString();
        switch (type)
        {
            case "Sequence":
                foreach (var inner in pre.GetProperty("pretokenizers").EnumerateArray())
                {
                    AddPreTokenizer(inner, parsed, unsupported);
                }

                break;
            case "ByteLevel":
                parsed.AddPrefixSpace = pre.TryGetProperty("add_prefix_space", out var prefix) && prefix.ValueKind == JsonValueKind.True;
                if (!pre.TryGetProperty("use_regex", out var useRegex) || useRegex.ValueKind != JsonValueKind.False)
                {
                    parsed.PreTokenizers.Add(SplitBy(new Regex(Gpt2Pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled), "Isolated", unsupported));
                }

                break;
            case "Split":
                if (pre.TryGetProperty("invert", out var invert) && invert.ValueKind == JsonValueKind.True)
                {
                    throw unsupported("a Split pre-tokenizer with invert");
                }

                var pattern = pre.GetProperty("pattern");
                var regex = pattern.TryGetProperty("Regex", out var r)
                    ? new Regex(r.GetString()!, RegexOptions.CultureInvariant | RegexOptions.Compiled)
                    : new Regex(Regex.Escape(pattern.GetProperty("String").GetString()!), RegexOptions.CultureInvariant);
                parsed.PreTokenizers.Add(SplitBy(regex, pre.GetProperty("behavior").GetString()!, unsupported));
                break;
            default:
                throw unsupported($"pre-tokenizer '{type}'");
        }
    }

    private static Func<string, IEnumerable<string>> SplitBy(Regex regex, string behavior, Func<string, A3InputException> unsupported)
    {
        if (behavior is not ("Isolated" or "Removed" or "MergedWithPrevious" or "MergedWithNext"))
        {
            throw unsupported($"Split behavior '{behavior}'");
        }

        return text =>
        {
            // Each piece of text is either a match or the gap between matches; behavior decides what to keep and join.
            var parts = new List<(string Text, bool IsMatch)>();
            var last = 0;
            foreach (Match m in regex.Matches(text))
            {
                if (m.Length == 0)
                {
                    continue;
                }

                if (m.Index > last)
                {
                    parts.Add((text[last..m.Index], false));
                }

                parts.Add((m.Value, true));
                last = m.Index + m.Length;
            }

            if (last < text.Length)
            {
                parts.Add((text[last..], false));
            }

            var result = new List<string>();
            var pending = string.Empty;
            foreach (var (part, isMatch) in parts)
            {
                switch (behavior)
                {
                    case "Removed" when isMatch:
                        break;
                    case "MergedWithPrevious" when isMatch && result.Count > 0:
                        result[^1] += part;
                        break;
                    case "MergedWithNext" when isMatch:
                        pending += part;
                        break;
                    case "MergedWithNext":
                        result.Add(pending + part);
                        pending = string.Empty;
                        break;
                    default:
                        result.Add(part);
                        break;
                }
            }

            if (pending.Length > 0)
            {
                result.Add(pending);
            }

            return result;
        };
    }

    private void EncodeOrdinary(string text, List<int> ids)
    {
        foreach (var form in normalizations)
        {
            text = text.Normalize(form);
        }

        if (addPrefixSpace && !text.StartsWith(' '))
        {
            text = " " + text;
        }

        IEnumerable<string> words = [text];
        foreach (var split in preTokenizers)
        {
            words = words.SelectMany(split).ToList();
        }

        foreach (var word in words)
        {
            if (word.Length > 0)
            {
                ids.AddRange(EncodeWord(word));
            }
        }
    }

    private int[] EncodeWord(string word)
    {
        if (cache.TryGetValue(word, out var cached))
        {
            return cached;
        }

        var utf8 = Encoding.UTF8.GetBytes(word);
        var chars = new char[utf8.Length];
        for (var i = 0; i < utf8.Length; i++)
        {
            chars[i] = ByteLevelAlphabet.ToChar(utf8[i]);
        }

        var mapped = new string(chars);
        int[] result;
        if (ignoreMerges && vocab.TryGetValue(mapped, out var whole))
        {
            result = [whole];
        }
        else
        {
            var initial = new List<(int, int, bool)>(mapped.Length);
            for (var i = 0; i < mapped.Length; i++)
            {
                initial.Add((i, 1, false));
            }

            var symbols = BpeSymbolMerger.Merge(mapped, initial, LookupMerge);
            result = symbols.Select(s => vocab[mapped.Substring(s.Start, s.Length)]).ToArray();
        }

        // Bounded so that encoding a huge corpus of distinct words cannot grow memory without limit.
        if (cache.Count < MaxCacheEntries)
        {
            cache.TryAdd(word, result);
        }

        return result;
    }

    private bool LookupMerge(ReadOnlySpan<char> piece, int leftLength, out float score)
    {
        if (mergeRanks.TryGetRank(piece, leftLength, out var rank))
        {
            score = -rank;
            return true;
        }

        score = 0;
        return false;
    }
}
