namespace A3.Tokenizers;

/// <summary>
/// The merges of a <c>tokenizer.json</c> BPE model, keyed by their text <c>"left right"</c> as the file
/// writes them: storing the file's own string costs no vocabulary lookup per merge at load (a few hundred
/// thousand merges in real files), and a candidate pair is one lookup when encoding. The key is
/// unambiguous because byte-level and '▁'-escaped tokens never contain a plain space.
/// </summary>
internal sealed class BpeMergeRanks
{
    private const int StackKeyLimit = 256;

    private readonly Dictionary<string, int> ranks;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup;

    /// <summary>Initializes an empty table sized for <paramref name="capacity"/> merges.</summary>
    public BpeMergeRanks(int capacity)
    {
        ranks = new Dictionary<string, int>(capacity, StringComparer.Ordinal);
        lookup = ranks.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Gets the number of distinct merges.</summary>
    public int Count => ranks.Count;

    /// <summary>Adds a merge given as <c>"left right"</c>; a repeated merge keeps its first (best) rank, as in Hugging Face.</summary>
    public void Add(string key, int rank) => ranks.TryAdd(key, rank);

    /// <summary>Looks up the rank of merging <paramref name="piece"/>'s first <paramref name="leftLength"/> chars with the rest.</summary>
    public bool TryGetRank(ReadOnlySpan<char> piece, int leftLength, out int rank)
    {
        Span<char> key = piece.Length < StackKeyLimit ? stackalloc char[piece.Length + 1] : new char[piece.Length + 1];
        piece[..leftLength].CopyTo(key);
        key[leftLength] = ' ';
        piece[leftLength..].CopyTo(key[(leftLength + 1)..]);
        return lookup.TryGetValue(key, out rank);
    }
}
