using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using A3.Recipes;

namespace A3.Runtime.Tokenization;

/// <summary>
/// A byte-level BPE tokenizer read from a Hugging Face <c>tokenizer.json</c> (GPT-2, Llama 3, Qwen2 style):
/// added tokens matched literally first, then the configured normalizer and pre-tokenizers (ByteLevel,
/// Split by regex, or a Sequence of them), GPT-2's byte-to-character map, and rank-ordered merges.
/// </summary>
/// <remarks>
/// Only the parts of the format these model families use are supported; anything else (other
/// pre-tokenizer or normalizer types, SentencePiece-style byte fallback) is rejected with an
/// <see cref="A3InputException"/> rather than encoded approximately. Added tokens' <c>lstrip</c>,
/// <c>rstrip</c> and <c>single_word</c> flags are not applied.
/// </remarks>
public sealed class ByteLevelBpeTokenizer : ITokenizer
{
    private const int MaxCacheEntries = 100_000;

    // GPT-2's pre-tokenization regex, applied by a ByteLevel pre-tokenizer with use_regex true.
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private static readonly string[] KnownBosTokens = ["<|begin_of_text|>", "<s>"];
    private static readonly string[] KnownEosTokens = ["<|end_of_text|>", "</s>", "<|endoftext|>"];

    private readonly Dictionary<string, int> vocab;
    private readonly string?[] idToToken;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> mergeRanks;
    private readonly bool ignoreMerges;
    private readonly List<Func<string, IEnumerable<string>>> preTokenizers;
    private readonly NormalizationForm[] normalizations;
    private readonly bool addPrefixSpace;
    private readonly (string Content, int Id, bool Special)[] addedTokens;
    private readonly HashSet<int> specialIds;
    private readonly Dictionary<int, string> addedContentById;
    private readonly ConcurrentDictionary<string, int[]> cache = new(StringComparer.Ordinal);

    private ByteLevelBpeTokenizer(ByteLevelBpeDefinition parsed)
    {
        vocab = parsed.Vocab;
        ignoreMerges = parsed.IgnoreMerges;
        preTokenizers = parsed.PreTokenizers;
        normalizations = parsed.Normalizations.ToArray();
        addPrefixSpace = parsed.AddPrefixSpace;
        addedTokens = parsed.AddedTokens.OrderByDescending(t => t.Content.Length).ToArray();
        specialIds = parsed.AddedTokens.Where(t => t.Special).Select(t => t.Id).ToHashSet();
        addedContentById = parsed.AddedTokens.GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.First().Content);
        mergeRanks = parsed.MergeRanks.GetAlternateLookup<ReadOnlySpan<char>>();

        var size = Math.Max(vocab.Count == 0 ? 0 : vocab.Values.Max() + 1, parsed.AddedTokens.Count == 0 ? 0 : parsed.AddedTokens.Max(t => t.Id) + 1);
        idToToken = new string?[size];
        foreach (var (token, id) in vocab)
        {
            idToToken[id] ??= token;
        }

        BosId = ResolveSpecial(parsed.BosToken, KnownBosTokens);
        EosId = ResolveSpecial(parsed.EosToken, KnownEosTokens);
    }

    /// <inheritdoc />
    public int VocabSize => idToToken.Length;

    /// <inheritdoc />
    public int? BosId { get; }

    /// <inheritdoc />
    public int? EosId { get; }

    /// <summary>
    /// Loads a <c>tokenizer.json</c>. BOS and EOS come from a <c>tokenizer_config.json</c> beside it when
    /// present, else from well-known special-token names.
    /// </summary>
    /// <param name="path">The <c>tokenizer.json</c> file.</param>
    /// <exception cref="A3InputException">The file is missing, malformed or uses unsupported features.</exception>
    public static ByteLevelBpeTokenizer Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new A3InputException(A3ErrorCodes.FileNotFound, $"tokenizer '{path}' does not exist.", path);
        }

        string? bos = null;
        string? eos = null;
        var configPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, ModelFiles.TokenizerConfigFileName);
        if (File.Exists(configPath))
        {
            try
            {
                using var config = JsonDocument.Parse(File.ReadAllBytes(configPath));
                bos = SpecialTokenName(config.RootElement, "bos_token");
                eos = SpecialTokenName(config.RootElement, "eos_token");
            }
            catch (JsonException ex)
            {
                throw new A3InputException(A3ErrorCodes.InvalidTokenizer, $"tokenizer config '{configPath}' is not valid JSON: {ex.Message}", configPath, ex);
            }
        }

        return FromJson(File.ReadAllText(path), path, bos, eos);
    }

    /// <summary>Reads a tokenizer from <c>tokenizer.json</c> text.</summary>
    /// <param name="json">The <c>tokenizer.json</c> contents.</param>
    /// <param name="sourcePath">The file the text came from, for error messages.</param>
    /// <param name="bosToken">The BOS token's content, when known; else well-known names are tried.</param>
    /// <param name="eosToken">The EOS token's content, when known; else well-known names are tried.</param>
    /// <exception cref="A3InputException">The JSON is malformed or uses unsupported features.</exception>
    public static ByteLevelBpeTokenizer FromJson(string json, string? sourcePath = null, string? bosToken = null, string? eosToken = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var name = sourcePath ?? "<tokenizer.json>";
        try
        {
            using var document = JsonDocument.Parse(json);
            var parsed = Parse(document.RootElement, name, sourcePath);
            parsed.BosToken = bosToken;
            parsed.EosToken = eosToken;
            return new ByteLevelBpeTokenizer(parsed);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentException)
        {
            throw new A3InputException(A3ErrorCodes.InvalidTokenizer, $"tokenizer '{name}' is malformed: {ex.Message}", sourcePath, ex);
        }
    }

    /// <summary>Returns true when <c>tokenizer.json</c> text describes a byte-level BPE model (a ByteLevel pre-tokenizer, no byte fallback).</summary>
    /// <param name="json">The <c>tokenizer.json</c> contents.</param>
    public static bool IsByteLevel(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object
                || (model.TryGetProperty("byte_fallback", out var fallback) && fallback.ValueKind == JsonValueKind.True))
            {
                return false;
            }

            return root.TryGetProperty("pre_tokenizer", out var pre) && ContainsType(pre, "ByteLevel");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Returns the vocabulary token (byte-level characters) or added-token content of an id.</summary>
    /// <param name="id">The token id.</param>
    public string? IdToToken(int id) =>
        addedContentById.TryGetValue(id, out var content) ? content : (uint)id < (uint)idToToken.Length ? idToToken[id] : null;

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        var position = 0;
        while (position < text.Length)
        {
            var (matchAt, token) = FindAddedToken(text, position);
            var end = matchAt < 0 ? text.Length : matchAt;
            if (end > position)
            {
                EncodeOrdinary(text[position..end], ids);
            }

            if (matchAt < 0)
            {
                break;
            }

            ids.Add(token.Id);
            position = matchAt + token.Content.Length;
        }

        return ids;
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (specialIds.Contains(id))
            {
                continue;
            }

            if (addedContentById.TryGetValue(id, out var content))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(content));
                continue;
            }

            var token = (uint)id < (uint)idToToken.Length ? idToToken[id] : null;
            if (token is null)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, "token id is not in the vocabulary");
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

    private static string? SpecialTokenName(JsonElement config, string property) =>
        !config.TryGetProperty(property, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : value.ValueKind == JsonValueKind.Object && value.TryGetProperty("content", out var content) ? content.GetString()
        : null;

    private static bool ContainsType(JsonElement element, string type)
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

    private static ByteLevelBpeDefinition Parse(JsonElement root, string name, string? sourcePath)
    {
        A3InputException Unsupported(string what) =>
            new(A3ErrorCodes.InvalidTokenizer, $"tokenizer '{name}' uses {what}, which is not supported.", sourcePath);

        var parsed = new ByteLevelBpeDefinition();
        var model = root.GetProperty("model");
        var type = model.TryGetProperty("type", out var typeElement) ? typeElement.GetString() : "BPE";
        if (type != "BPE")
        {
            throw Unsupported($"model type '{type}'");
        }

        if (model.TryGetProperty("byte_fallback", out var byteFallback) && byteFallback.ValueKind == JsonValueKind.True)
        {
            throw Unsupported($"a SentencePiece-style BPE with byte_fallback (use its {ModelFiles.SentencePieceModelFileName})");
        }

        parsed.IgnoreMerges = model.TryGetProperty("ignore_merges", out var ignore) && ignore.ValueKind == JsonValueKind.True;
        foreach (var entry in model.GetProperty("vocab").EnumerateObject())
        {
            var id = entry.Value.GetInt32();
            if (id < 0)
            {
                throw new FormatException($"vocab entry '{entry.Name}' has negative id {id}");
            }

            parsed.Vocab[entry.Name] = id;
        }

        for (var b = 0; b < 256; b++)
        {
            if (!parsed.Vocab.ContainsKey(ByteLevelAlphabet.ToChar((byte)b).ToString()))
            {
                throw new FormatException($"the vocabulary lacks the byte-level symbol for byte 0x{b:X2}; it is not a byte-level BPE vocabulary");
            }
        }

        var rank = 0;
        foreach (var merge in model.GetProperty("merges").EnumerateArray())
        {
            string left, right;
            if (merge.ValueKind == JsonValueKind.String)
            {
                var text = merge.GetString()!;
                var space = text.IndexOf(' ', StringComparison.Ordinal);
                if (space <= 0 || space == text.Length - 1 || text.IndexOf(' ', space + 1) >= 0)
                {
                    throw new FormatException($"merge {rank} '{text}' is not two space-separated tokens");
                }

                (left, right) = (text[..space], text[(space + 1)..]);
            }
            else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2)
            {
                (left, right) = (merge[0].GetString()!, merge[1].GetString()!);
            }
            else
            {
                throw new FormatException($"merge {rank} is neither \"a b\" nor [a, b]");
            }

            if (!parsed.Vocab.ContainsKey(left + right))
            {
                throw new FormatException($"merge {rank} ('{left}', '{right}') produces '{left + right}', which is not in the vocabulary");
            }

            parsed.MergeRanks.TryAdd(left + " " + right, rank);
            rank++;
        }

        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in added.EnumerateArray())
            {
                var content = token.GetProperty("content").GetString()!;
                if (content.Length == 0)
                {
                    throw new FormatException("an added token has empty content");
                }

                var special = token.TryGetProperty("special", out var s) && s.ValueKind == JsonValueKind.True;
                parsed.AddedTokens.Add((content, token.GetProperty("id").GetInt32(), special));
            }
        }

        if (root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind != JsonValueKind.Null)
        {
            AddNormalizer(normalizer, parsed, Unsupported);
        }

        if (!root.TryGetProperty("pre_tokenizer", out var pre) || !ContainsType(pre, "ByteLevel"))
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

    private int? ResolveSpecial(string? configured, string[] known)
    {
        foreach (var candidate in configured is null ? known : [configured])
        {
            foreach (var token in addedTokens)
            {
                if (token.Content == candidate)
                {
                    return token.Id;
                }
            }

            if (vocab.TryGetValue(candidate, out var id))
            {
                return id;
            }
        }

        return null;
    }

    private (int Index, (string Content, int Id, bool Special) Token) FindAddedToken(string text, int start)
    {
        var bestIndex = -1;
        (string, int, bool) best = default;

        // Tokens are sorted longest first, so at equal positions the longest wins.
        foreach (var token in addedTokens)
        {
            var index = text.IndexOf(token.Content, start, StringComparison.Ordinal);
            if (index >= 0 && (bestIndex < 0 || index < bestIndex))
            {
                bestIndex = index;
                best = token;
            }
        }

        return (bestIndex, best);
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
        // Merge keys are "left right"; the byte-level alphabet has no plain space, so the key is unambiguous.
        Span<char> key = piece.Length + 1 <= 256 ? stackalloc char[piece.Length + 1] : new char[piece.Length + 1];
        piece[..leftLength].CopyTo(key);
        key[leftLength] = ' ';
        piece[leftLength..].CopyTo(key[(leftLength + 1)..]);
        if (mergeRanks.TryGetValue(key, out var rank))
        {
            score = -rank;
            return true;
        }

        score = 0;
        return false;
    }
}
