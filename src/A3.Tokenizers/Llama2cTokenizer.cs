using System.Buffers.Binary;
using System.Text;
using A3.IO;

namespace A3.Tokenizers;

/// <summary>
/// The tokenizer of a llama2.c <c>tok*.bin</c> export (int32 <c>max_token_length</c>, then per piece a
/// float32 score, an int32 byte length and the bytes), encoding as llama2.c's <c>encode</c> does: a
/// dummy-prefix space, each UTF-8 character looked up as a piece or else split into byte tokens
/// (id = byte + 3), then greedy merges of the adjacent pair whose concatenation scores best.
/// </summary>
/// <remarks>
/// Pieces are held as Latin-1 strings so that each char is exactly one byte of the piece; that keeps
/// lookups byte-exact even for pieces that are not valid UTF-8 on their own. Byte-fallback tokens never
/// merge: llama2.c would try their <c>&lt;0xNN&gt;</c> text, which no trained piece contains. Unpaired
/// UTF-16 surrogates are encoded as U+FFFD; decoding skips ids past the pieces.
/// </remarks>
public sealed class Llama2cTokenizer : ITokenizer
{
    private const int ByteFallbackOffset = 3;
    private const int LlamaBosId = 1;
    private const int LlamaEosId = 2;

    private readonly string[] pieces;
    private readonly float[] scores;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup;

    private Llama2cTokenizer(int maxTokenLength, string[] pieces, float[] scores)
    {
        MaxTokenLength = maxTokenLength;
        this.pieces = pieces;
        this.scores = scores;
        var ids = new Dictionary<string, int>(pieces.Length, StringComparer.Ordinal);
        for (var id = 0; id < pieces.Length; id++)
        {
            ids.TryAdd(pieces[id], id);
        }

        lookup = ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <inheritdoc />
    public int VocabSize => pieces.Length;

    /// <inheritdoc />
    public int? BosId => pieces.Length > LlamaBosId ? LlamaBosId : null;

    /// <inheritdoc />
    public int? EosId => pieces.Length > LlamaEosId ? LlamaEosId : null;

    /// <summary>Gets the <c>max_token_length</c> from the file header.</summary>
    public int MaxTokenLength { get; }

    /// <summary>Loads a llama2.c tokenizer file.</summary>
    /// <param name="path">The <c>tok*.bin</c> file.</param>
    /// <param name="vocabSize">The model's vocabulary size; when null it is inferred by reading pieces to the end of the file.</param>
    /// <exception cref="A3InputException">The file is missing, truncated or malformed.</exception>
    public static Llama2cTokenizer Load(string path, int? vocabSize = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        InputFiles.Require(path, $"llama2.c tokenizer '{path}' does not exist.");

        return FromBytes(File.ReadAllBytes(path), vocabSize, path);
    }

    /// <summary>Reads a llama2.c tokenizer from its bytes.</summary>
    /// <param name="data">The file contents.</param>
    /// <param name="vocabSize">The model's vocabulary size; when null it is inferred by reading pieces to the end of the data.</param>
    /// <param name="sourcePath">The file the bytes came from, for error messages.</param>
    /// <exception cref="A3InputException">The data is truncated or malformed.</exception>
    public static Llama2cTokenizer FromBytes(ReadOnlySpan<byte> data, int? vocabSize = null, string? sourcePath = null)
    {
        var name = sourcePath ?? "<llama2.c tokenizer>";
        A3InputException Invalid(string problem) =>
            new(A3ErrorCodes.InvalidTokenizer, $"llama2.c tokenizer '{name}' {problem}.", sourcePath);

        if (vocabSize is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, "vocabulary size must be positive");
        }

        if (data.Length < 4)
        {
            throw Invalid($"is truncated: {data.Length} bytes, too short for the max_token_length header");
        }

        var maxTokenLength = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (maxTokenLength <= 0)
        {
            throw Invalid($"has max_token_length {maxTokenLength}; it must be positive");
        }

        var pieces = new List<string>(vocabSize ?? 512);
        var scores = new List<float>(vocabSize ?? 512);
        var position = 4;
        while (vocabSize is null ? position < data.Length : pieces.Count < vocabSize)
        {
            var expected = vocabSize is null ? string.Empty : $" of {vocabSize}";
            if (data.Length - position < 8)
            {
                throw Invalid($"is truncated at byte {position}: piece {pieces.Count}{expected} needs an 8-byte score and length");
            }

            var score = BinaryPrimitives.ReadSingleLittleEndian(data[position..]);
            var length = BinaryPrimitives.ReadInt32LittleEndian(data[(position + 4)..]);
            position += 8;
            if (length < 0 || length > maxTokenLength)
            {
                throw Invalid($"has piece {pieces.Count} of length {length}, outside 0..max_token_length ({maxTokenLength})");
            }

            if (data.Length - position < length)
            {
                throw Invalid($"is truncated at byte {position}: piece {pieces.Count}{expected} needs {length} bytes, {data.Length - position} remain");
            }

            pieces.Add(Encoding.Latin1.GetString(data.Slice(position, length)));
            scores.Add(score);
            position += length;
        }

        if (position != data.Length)
        {
            throw Invalid($"has {data.Length - position} bytes after its {vocabSize} pieces; the vocabulary size may be wrong");
        }

        if (pieces.Count == 0)
        {
            throw Invalid("has no pieces");
        }

        return new Llama2cTokenizer(maxTokenLength, pieces.ToArray(), scores.ToArray());
    }

    /// <summary>Returns the bytes of a piece as stored in the file.</summary>
    /// <param name="id">The token id.</param>
    public byte[] GetPieceBytes(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, pieces.Length);
        return Encoding.Latin1.GetBytes(pieces[id]);
    }

    /// <summary>Returns the merge score of a piece.</summary>
    /// <param name="id">The token id.</param>
    public float GetScore(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, pieces.Length);
        return scores[id];
    }

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        // llama2.c's dummy prefix, as SentencePiece's add_dummy_prefix would add; an unpaired surrogate becomes U+FFFD's bytes.
        var bytes = Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(" " + Utf16Text.ReplaceLoneSurrogates(text)));
        var initial = new List<(int Start, int Length, bool Frozen)>(bytes.Length);
        var position = 0;
        while (position < bytes.Length)
        {
            // A UTF-8 character: its lead byte plus up to three continuation bytes, as llama2.c groups them.
            var length = 1;
            while (length < 4 && position + length < bytes.Length && (bytes[position + length] & 0xC0) == 0x80)
            {
                length++;
            }

            if (lookup.ContainsKey(bytes.AsSpan(position, length)))
            {
                initial.Add((position, length, false));
            }
            else
            {
                for (var i = 0; i < length; i++)
                {
                    initial.Add((position + i, 1, true));
                }
            }

            position += length;
        }

        var fallback = new bool[bytes.Length];
        foreach (var symbol in initial)
        {
            fallback[symbol.Start] = symbol.Frozen;
        }

        var merged = BpeSymbolMerger.Merge(bytes, initial, LookupPiece);
        var ids = new int[merged.Count];
        for (var i = 0; i < merged.Count; i++)
        {
            var (start, length) = merged[i];
            ids[i] = fallback[start] ? bytes[start] + ByteFallbackOffset : lookup[bytes.AsSpan(start, length)];
        }

        return ids;
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        var atStart = true;
        foreach (var id in ids)
        {
            // Ids past the pieces (a model's padding rows) decode to nothing, as in Hugging Face.
            if ((uint)id >= (uint)pieces.Length)
            {
                continue;
            }

            if (id == BosId)
            {
                atStart = true;
                continue;
            }

            if (id == EosId)
            {
                continue;
            }

            var piece = pieces[id];

            // llama2.c drops the dummy-prefix space of the first piece after BOS; a sequence start counts as after BOS.
            if (atStart && piece.StartsWith(' '))
            {
                piece = piece[1..];
            }

            atStart = false;
            if (BytePiece.TryParse(piece, out var value))
            {
                bytes.Add(value);
            }
            else
            {
                bytes.AddRange(Encoding.Latin1.GetBytes(piece));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private bool LookupPiece(ReadOnlySpan<char> piece, int leftLength, out float score)
    {
        if (lookup.TryGetValue(piece, out var id))
        {
            score = scores[id];
            return true;
        }

        score = 0;
        return false;
    }
}
