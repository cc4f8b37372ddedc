using A3.Recipes;

namespace A3.Tokenizers;

/// <summary>
/// A SentencePiece-style BPE written as a Hugging Face <c>tokenizer.json</c> (Llama 2 and Mistral
/// conversions): spaces become '▁' (a <c>Prepend</c>/<c>Replace</c> normalizer or a <c>Metaspace</c>
/// pre-tokenizer), each stretch of text between added tokens is one BPE word merged in rank order,
/// and characters outside the vocabulary become <c>&lt;0xNN&gt;</c> byte tokens when <c>byte_fallback</c>
/// is set, else the unknown token. Ids equal those of Hugging Face <c>tokenizers</c> for the supported parts.
/// </summary>
/// <remarks>
/// Text holding unpaired UTF-16 surrogates is encoded as if each were U+FFFD. A character that is
/// neither in the vocabulary nor byte-encodable becomes the unknown token, or nothing when the model has
/// none, as in Hugging Face. Added tokens are matched literally; their <c>lstrip</c>, <c>rstrip</c>,
/// <c>single_word</c> and <c>normalized</c> flags are not applied. Decoding follows the file's
/// <c>decoder</c> and skips special tokens and, as Hugging Face's <c>decode</c> does, ids the tokenizer
/// does not have (such as a model's padding rows). Metaspace pre-tokenizers that split words are refused.
/// </remarks>
public sealed class SentencePieceJsonTokenizer : ITokenizer
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> vocab;
    private readonly string?[] idToToken;
    private readonly BpeMergeRanks mergeRanks;
    private readonly bool ignoreMerges;
    private readonly bool byteFallback;
    private readonly int[] byteIds;
    private readonly int? unknownId;
    private readonly bool fuseUnknown;
    private readonly AddedTokenMatcher addedTokens;
    private readonly SentencePieceJsonNormalizer normalizer;
    private readonly TokenizerJsonDecoder decoder;

    private SentencePieceJsonTokenizer(TokenizerJsonData data, SpecialTokenDeclarations declarations, string name)
    {
        vocab = data.Vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        mergeRanks = data.MergeRanks;
        ignoreMerges = data.IgnoreMerges;
        fuseUnknown = data.FuseUnknown;
        byteFallback = data.ByteFallback;
        addedTokens = new AddedTokenMatcher(data.AddedTokens);
        normalizer = SentencePieceJsonNormalizer.From(data.Normalizer, data.PreTokenizer);
        decoder = TokenizerJsonDecoder.From(data.Decoder);

        idToToken = new string?[data.IdCount];
        foreach (var (token, id) in data.Vocab)
        {
            idToToken[id] ??= token;
        }

        byteIds = new int[256];
        for (var b = 0; b < 256; b++)
        {
            byteIds[b] = data.Vocab.TryGetValue(BytePiece.Of((byte)b), out var id) ? id : -1;
        }

        if (data.UnknownToken is { } unknown)
        {
            unknownId = data.IdOf(unknown) ?? throw new FormatException($"its unk_token '{unknown}' is not in the vocabulary");
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
    /// Loads a SentencePiece-style <c>tokenizer.json</c>. BOS and EOS come from the declarations of the files
    /// beside it (<c>tokenizer_config.json</c>, <c>generation_config.json</c>) and of its own post-processor.
    /// </summary>
    /// <param name="path">The <c>tokenizer.json</c> file.</param>
    /// <exception cref="A3InputException">The file is missing, malformed or uses unsupported features.</exception>
    public static SentencePieceJsonTokenizer Load(string path)
    {
        var (data, declarations) = TokenizerJsonFile.Load(path);
        return Create(data, declarations, path, path);
    }

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = Utf16Text.ReplaceLoneSurrogates(text);
        var ids = new List<int>();
        addedTokens.Split(text, (segment, offset) => EncodeWord(normalizer.Apply(segment, offset), ids), ids.Add);
        return ids;
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokens = new List<string>();
        foreach (var id in ids)
        {
            if (addedTokens.IsSpecial(id))
            {
                continue;
            }

            if ((addedTokens.ContentOf(id) ?? ((uint)id < (uint)idToToken.Length ? idToToken[id] : null)) is { } token)
            {
                tokens.Add(token);
            }
        }

        return decoder.Decode(tokens);
    }

    /// <summary>Builds the tokenizer from a read <c>tokenizer.json</c>.</summary>
    internal static SentencePieceJsonTokenizer Create(TokenizerJsonData data, SpecialTokenDeclarations declarations, string name, string? sourcePath)
    {
        try
        {
            declarations.ReadPostProcessor(data.PostProcessor);
            return new SentencePieceJsonTokenizer(data, declarations, name);
        }
        catch (NotSupportedException ex)
        {
            throw new A3InputException(A3ErrorCodes.InvalidTokenizer, $"tokenizer '{name}' uses {ex.Message}, which is not supported.", sourcePath, ex);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentException)
        {
            throw new A3InputException(A3ErrorCodes.InvalidTokenizer, $"tokenizer '{name}' is malformed: {ex.Message}", sourcePath, ex);
        }
    }

    private void EncodeWord(string word, List<int> ids)
    {
        if (word.Length == 0)
        {
            return;
        }

        if (ignoreMerges && vocab.TryGetValue(word, out var whole))
        {
            ids.Add(whole);
            return;
        }

        // One symbol per character; a character outside the vocabulary is frozen and becomes byte tokens or the unknown token.
        var initial = new List<(int Start, int Length, bool Frozen)>(word.Length);
        for (var position = 0; position < word.Length;)
        {
            var length = char.IsHighSurrogate(word[position]) && position + 1 < word.Length && char.IsLowSurrogate(word[position + 1]) ? 2 : 1;
            initial.Add((position, length, !vocab.ContainsKey(word.AsSpan(position, length))));
            position += length;
        }

        var previousWasUnknown = false;
        foreach (var (start, length) in BpeSymbolMerger.Merge(word, initial, LookupMerge))
        {
            var symbol = word.AsSpan(start, length);
            if (vocab.TryGetValue(symbol, out var id))
            {
                ids.Add(id);
                previousWasUnknown = false;
            }
            else
            {
                EmitOutsideVocabulary(symbol, ids, ref previousWasUnknown);
            }
        }
    }

    private void EmitOutsideVocabulary(ReadOnlySpan<char> symbol, List<int> ids, ref bool previousWasUnknown)
    {
        Span<byte> utf8 = stackalloc byte[8];
        var count = System.Text.Encoding.UTF8.GetBytes(symbol, utf8);
        var allBytesKnown = true;
        foreach (var b in utf8[..count])
        {
            allBytesKnown &= byteIds[b] >= 0;
        }

        if (byteFallback && allBytesKnown)
        {
            foreach (var b in utf8[..count])
            {
                ids.Add(byteIds[b]);
            }

            previousWasUnknown = false;
            return;
        }

        // Without an unknown token Hugging Face drops the character; so does this reader, to give the same ids.
        if (unknownId is int unknown && !(fuseUnknown && previousWasUnknown))
        {
            ids.Add(unknown);
        }

        previousWasUnknown = unknownId is not null;
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
