using System.Text;
using A3.IO;

namespace A3.Tokenizers;

/// <summary>
/// A SentencePiece BPE tokenizer read from a <c>tokenizer.model</c> (protobuf <c>ModelProto</c>), encoding
/// as SentencePiece's BPE model does: whitespace escaped to '▁' with a dummy-prefix '▁', the adjacent
/// pair whose merged piece scores highest merged first, and unknown characters falling back to
/// <c>&lt;0xNN&gt;</c> byte pieces when the model was trained with byte fallback.
/// </summary>
/// <remarks>
/// Text holding unpaired UTF-16 surrogates is encoded as if each were U+FFFD, the character SentencePiece
/// substitutes for invalid UTF-8. Decoding skips control pieces and ids past the vocabulary (such as a
/// model's padding rows), and drops only the first piece's dummy-prefix space.
/// </remarks>
public sealed class SentencePieceBpeTokenizer : ITokenizer
{
    private const char SpaceSymbol = '\u2581';
    private const int ModelTypeBpe = 2;

    private readonly string[] pieces;
    private readonly float[] scores;
    private readonly SentencePiecePieceType[] types;
    private readonly Dictionary<string, int> mergeable;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> mergeableLookup;
    private readonly Dictionary<string, int> reserved;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> reservedLookup;
    private readonly string[] userDefined;
    private readonly int[] byteIds;
    private readonly bool addDummyPrefix;
    private readonly bool removeExtraWhitespaces;
    private readonly bool escapeWhitespaces;
    private readonly string unknownSurface;

    private SentencePieceBpeTokenizer(SentencePieceModelData model)
    {
        pieces = model.Pieces.ToArray();
        scores = model.Scores.ToArray();
        types = model.Types.ToArray();
        addDummyPrefix = model.AddDummyPrefix;
        removeExtraWhitespaces = model.RemoveExtraWhitespaces;
        escapeWhitespaces = model.EscapeWhitespaces;
        unknownSurface = model.UnknownSurface;
        ByteFallback = model.ByteFallback;

        mergeable = new Dictionary<string, int>(StringComparer.Ordinal);
        reserved = new Dictionary<string, int>(StringComparer.Ordinal);
        byteIds = Enumerable.Repeat(-1, 256).ToArray();
        var userDefined = new List<string>();
        for (var id = 0; id < pieces.Length; id++)
        {
            var piece = pieces[id];
            var type = types[id];

            // SentencePiece keeps the first id when a piece string repeats.
            if (type is SentencePiecePieceType.Normal or SentencePiecePieceType.UserDefined or SentencePiecePieceType.Unused)
            {
                mergeable.TryAdd(piece, id);
            }
            else
            {
                reserved.TryAdd(piece, id);
            }

            if (type == SentencePiecePieceType.UserDefined && piece.Length > 0)
            {
                userDefined.Add(piece);
            }
            else if (type == SentencePiecePieceType.Byte && BytePiece.TryParse(piece, out var value))
            {
                byteIds[value] = id;
            }
            else if (type == SentencePiecePieceType.Unknown && UnknownId is null)
            {
                UnknownId = id;
            }
        }

        mergeableLookup = mergeable.GetAlternateLookup<ReadOnlySpan<char>>();
        reservedLookup = reserved.GetAlternateLookup<ReadOnlySpan<char>>();

        // Longest first, so the literal match at a position takes the longest user-defined piece.
        this.userDefined = userDefined.OrderByDescending(p => p.Length).ToArray();
        BosId = ControlIdOrNull(model.BosId);
        EosId = ControlIdOrNull(model.EosId);
    }

    /// <inheritdoc />
    public int VocabSize => pieces.Length;

    /// <inheritdoc />
    public int? BosId { get; private set; }

    /// <inheritdoc />
    public int? EosId { get; private set; }

    /// <summary>Gets the unknown-piece id, when the vocabulary has one.</summary>
    public int? UnknownId { get; }

    /// <summary>Gets a value indicating whether unknown characters fall back to byte pieces.</summary>
    public bool ByteFallback { get; }

    /// <summary>Loads a SentencePiece BPE model file.</summary>
    /// <param name="path">The <c>tokenizer.model</c> file.</param>
    /// <exception cref="A3InputException">The file is missing, malformed or not a supported BPE model.</exception>
    public static SentencePieceBpeTokenizer Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        InputFiles.Require(path, $"SentencePiece model '{path}' does not exist.");

        return FromBytes(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads a SentencePiece BPE model from its serialized bytes.</summary>
    /// <param name="model">The serialized <c>ModelProto</c>.</param>
    /// <param name="sourcePath">The file the bytes came from, for error messages.</param>
    /// <exception cref="A3InputException">The bytes are malformed or not a supported BPE model.</exception>
    public static SentencePieceBpeTokenizer FromBytes(ReadOnlySpan<byte> model, string? sourcePath = null)
    {
        var name = sourcePath ?? "<SentencePiece model>";
        SentencePieceModelData data;
        try
        {
            data = ParseModel(model);
        }
        catch (FormatException ex)
        {
            throw new A3InputException(A3ErrorCodes.InvalidTokenizer, $"SentencePiece model '{name}' is malformed: {ex.Message}.", sourcePath, ex);
        }

        if (data.Pieces.Count == 0)
        {
            throw new A3InputException(A3ErrorCodes.InvalidTokenizer, $"SentencePiece model '{name}' has no pieces.", sourcePath);
        }

        if (data.ModelType != ModelTypeBpe)
        {
            throw new A3InputException(
                A3ErrorCodes.InvalidTokenizer,
                $"SentencePiece model '{name}' has model_type {data.ModelType}; only BPE (2) is supported.",
                sourcePath);
        }

        // Without these checks a model needing NFKC maps or suffix whitespace would encode silently wrong.
        if (data.HasPrecompiledCharsMap)
        {
            throw new A3InputException(
                A3ErrorCodes.InvalidTokenizer,
                $"SentencePiece model '{name}' uses a precompiled normalization map ('{data.NormalizerName}'), which is not supported; only identity normalization is.",
                sourcePath);
        }

        if (data.TreatWhitespaceAsSuffix)
        {
            throw new A3InputException(
                A3ErrorCodes.InvalidTokenizer, $"SentencePiece model '{name}' sets treat_whitespace_as_suffix, which is not supported.", sourcePath);
        }

        return new SentencePieceBpeTokenizer(data);
    }

    /// <summary>
    /// Replaces the model's own BOS and EOS (its <c>bos_id</c> and <c>eos_id</c>) with what the files beside it
    /// declare, where they declare something (a Hugging Face folder's <c>tokenizer_config.json</c> or
    /// <c>generation_config.json</c>); the model's own ids remain the fallback.
    /// </summary>
    internal void ApplyDeclarations(SpecialTokenDeclarations declarations, string path) =>
        (BosId, EosId) = declarations.Resolve(PieceId, pieces.Length, BosId, EosId, path);

    /// <summary>Returns the piece string of an id (with '▁' for spaces).</summary>
    /// <param name="id">The token id.</param>
    public string IdToPiece(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, pieces.Length);
        return pieces[id];
    }

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = Normalize(Utf16Text.ReplaceLoneSurrogates(text));
        if (normalized.Length == 0)
        {
            return [];
        }

        var initial = SplitInitialSymbols(normalized);
        Dictionary<string, (string Left, string Right)>? unusedSplits = null;
        BpeMergeObserver? observer = null;
        if (types.Contains(SentencePiecePieceType.Unused))
        {
            unusedSplits = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
            observer = (mergedStart, leftLength, mergedLength) =>
            {
                var merged = normalized.Substring(mergedStart, mergedLength);
                if (types[mergeable[merged]] == SentencePiecePieceType.Unused)
                {
                    unusedSplits[merged] = (normalized.Substring(mergedStart, leftLength), normalized.Substring(mergedStart + leftLength, mergedLength - leftLength));
                }
            };
        }

        var symbols = BpeSymbolMerger.Merge(normalized, initial, LookupMergeable, observer);
        var ids = new List<int>(symbols.Count);
        var previousWasUnknown = false;
        foreach (var (start, length) in symbols)
        {
            EmitSymbol(normalized.AsSpan(start, length), ids, unusedSplits, ref previousWasUnknown);
        }

        return ids;
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var output = new StringBuilder();
        var pendingBytes = new List<byte>();
        var atStart = true;

        void FlushBytes()
        {
            if (pendingBytes.Count == 0)
            {
                return;
            }

            AppendSurface(Encoding.UTF8.GetString(pendingBytes.ToArray()));
            pendingBytes.Clear();
        }

        void AppendSurface(string surface)
        {
            // As SentencePiece does, only the first piece's dummy-prefix space is consumed: once one is
            // consumed, or a piece adds text, the flag clears, so "▁" then "▁=" decodes to " =".
            var consumed = false;
            if (atStart && (addDummyPrefix || removeExtraWhitespaces) && surface.StartsWith(' '))
            {
                surface = surface[1..];
                consumed = true;
            }

            output.Append(surface);
            if (consumed || surface.Length > 0)
            {
                atStart = false;
            }
        }

        foreach (var id in ids)
        {
            // Ids past the pieces (a model's padding rows) decode to nothing, as in Hugging Face.
            if ((uint)id >= (uint)pieces.Length)
            {
                continue;
            }

            switch (types[id])
            {
                case SentencePiecePieceType.Control:
                    continue;
                case SentencePiecePieceType.Byte when BytePiece.TryParse(pieces[id], out var value):
                    pendingBytes.Add(value);
                    continue;
                case SentencePiecePieceType.Unknown:
                    FlushBytes();
                    output.Append(unknownSurface);
                    atStart = false;
                    continue;
                default:
                    FlushBytes();
                    AppendSurface(pieces[id].Replace(SpaceSymbol, ' '));
                    break;
            }
        }

        FlushBytes();
        return output.ToString();
    }

    private static SentencePieceModelData ParseModel(ReadOnlySpan<byte> bytes)
    {
        var data = new SentencePieceModelData();
        var reader = new ProtobufReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadKey();
            if (field == 1 && wire == 2)
            {
                ParsePiece(reader.ReadLengthDelimited(), data);
            }
            else if (field == 2 && wire == 2)
            {
                ParseTrainerSpec(reader.ReadLengthDelimited(), data);
            }
            else if (field == 3 && wire == 2)
            {
                ParseNormalizerSpec(reader.ReadLengthDelimited(), data);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return data;
    }

    private static void ParsePiece(ReadOnlySpan<byte> bytes, SentencePieceModelData data)
    {
        var reader = new ProtobufReader(bytes);
        string? piece = null;
        var score = 0f;
        var type = SentencePiecePieceType.Normal;
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadKey();
            if (field == 1 && wire == 2)
            {
                piece = DecodeUtf8(reader.ReadLengthDelimited());
            }
            else if (field == 2 && wire == 5)
            {
                score = reader.ReadFixed32Float();
            }
            else if (field == 3 && wire == 0)
            {
                var raw = (long)reader.ReadVarint();
                if (raw is < 1 or > 6)
                {
                    throw new FormatException($"piece {data.Pieces.Count} has unknown type {raw}");
                }

                type = (SentencePiecePieceType)raw;
            }
            else
            {
                reader.Skip(wire);
            }
        }

        data.Pieces.Add(piece ?? throw new FormatException($"piece {data.Pieces.Count} has no text"));
        data.Scores.Add(score);
        data.Types.Add(type);
    }

    private static void ParseTrainerSpec(ReadOnlySpan<byte> bytes, SentencePieceModelData data)
    {
        var reader = new ProtobufReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadKey();
            switch (field, wire)
            {
                case (3, 0):
                    data.ModelType = (int)reader.ReadVarint();
                    break;
                case (24, 0):
                    data.TreatWhitespaceAsSuffix = reader.ReadVarint() != 0;
                    break;
                case (35, 0):
                    data.ByteFallback = reader.ReadVarint() != 0;
                    break;
                case (41, 0):
                    data.BosId = (int)(long)reader.ReadVarint();
                    break;
                case (42, 0):
                    data.EosId = (int)(long)reader.ReadVarint();
                    break;
                case (44, 2):
                    data.UnknownSurface = DecodeUtf8(reader.ReadLengthDelimited());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }

    private static void ParseNormalizerSpec(ReadOnlySpan<byte> bytes, SentencePieceModelData data)
    {
        var reader = new ProtobufReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadKey();
            switch (field, wire)
            {
                case (1, 2):
                    data.NormalizerName = DecodeUtf8(reader.ReadLengthDelimited());
                    break;
                case (2, 2):
                    data.HasPrecompiledCharsMap = reader.ReadLengthDelimited().Length > 0;
                    break;
                case (3, 0):
                    data.AddDummyPrefix = reader.ReadVarint() != 0;
                    break;
                case (4, 0):
                    data.RemoveExtraWhitespaces = reader.ReadVarint() != 0;
                    break;
                case (5, 0):
                    data.EscapeWhitespaces = reader.ReadVarint() != 0;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new FormatException($"a string field is not valid UTF-8 ({ex.Message})", ex);
        }
    }

    private int? PieceId(string piece) =>
        mergeable.TryGetValue(piece, out var id) || reserved.TryGetValue(piece, out id) ? id : null;

    private int? ControlIdOrNull(int id) =>
        id >= 0 && id < pieces.Length && types[id] == SentencePiecePieceType.Control ? id : null;

    private bool LookupMergeable(ReadOnlySpan<char> piece, int leftLength, out float score)
    {
        if (mergeableLookup.TryGetValue(piece, out var id))
        {
            score = scores[id];
            return true;
        }

        score = 0;
        return false;
    }

    private string Normalize(string text)
    {
        // SentencePiece's identity normalizer only treats U+0020 as whitespace here; newlines and tabs pass through.
        var builder = new StringBuilder(text.Length + 1);
        var span = removeExtraWhitespaces ? text.AsSpan().Trim(' ') : text.AsSpan();
        if (span.IsEmpty)
        {
            return string.Empty;
        }

        if (addDummyPrefix)
        {
            builder.Append(' ');
        }

        var previousWasSpace = addDummyPrefix;
        foreach (var c in span)
        {
            if (c == ' ' && previousWasSpace && removeExtraWhitespaces)
            {
                continue;
            }

            builder.Append(c);
            previousWasSpace = c == ' ';
        }

        return escapeWhitespaces ? builder.Replace(' ', SpaceSymbol).ToString() : builder.ToString();
    }

    private List<(int Start, int Length, bool Frozen)> SplitInitialSymbols(string normalized)
    {
        var symbols = new List<(int, int, bool)>(normalized.Length);
        var position = 0;
        while (position < normalized.Length)
        {
            var userDefined = Array.Find(this.userDefined, p => normalized.AsSpan(position).StartsWith(p, StringComparison.Ordinal));
            if (userDefined is not null)
            {
                symbols.Add((position, userDefined.Length, true));
                position += userDefined.Length;
                continue;
            }

            var length = char.IsHighSurrogate(normalized[position]) && position + 1 < normalized.Length
                && char.IsLowSurrogate(normalized[position + 1]) ? 2 : 1;
            symbols.Add((position, length, false));
            position += length;
        }

        return symbols;
    }

    private void EmitSymbol(
        ReadOnlySpan<char> symbol, List<int> ids, Dictionary<string, (string Left, string Right)>? unusedSplits, ref bool previousWasUnknown)
    {
        if (mergeableLookup.TryGetValue(symbol, out var id))
        {
            if (types[id] == SentencePiecePieceType.Unused && unusedSplits is not null
                && unusedSplits.TryGetValue(symbol.ToString(), out var halves))
            {
                EmitSymbol(halves.Left, ids, unusedSplits, ref previousWasUnknown);
                EmitSymbol(halves.Right, ids, unusedSplits, ref previousWasUnknown);
                return;
            }

            ids.Add(id);
            previousWasUnknown = false;
            return;
        }

        if (reservedLookup.TryGetValue(symbol, out id)
            && types[id] != SentencePiecePieceType.Unknown)
        {
            ids.Add(id);
            previousWasUnknown = false;
            return;
        }

        if (ByteFallback)
        {
            Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(symbol.Length)];
            var count = Encoding.UTF8.GetBytes(symbol, utf8);
            foreach (var b in utf8[..count])
            {
                ids.Add(byteIds[b] >= 0 ? byteIds[b] : UnknownId ?? 0);
            }

            previousWasUnknown = false;
            return;
        }

        // SentencePiece folds a run of unknown symbols into one unknown id.
        if (!previousWasUnknown)
        {
            ids.Add(UnknownId ?? 0);
        }

        previousWasUnknown = true;
    }
}
