namespace A3.Tokenizers;

/// <summary>
/// The score-driven BPE merge loop shared by the SentencePiece and llama2.c tokenizers: symbols are
/// spans of one string, and the adjacent pair whose concatenation is the best-scoring piece is merged
/// first, the leftmost pair winning ties (SentencePiece's agenda order and llama2.c's strict
/// <c>&gt;</c> scan agree on that). Rank-ordered BPE uses it with score = -rank.
/// </summary>
internal static class BpeSymbolMerger
{
    /// <summary>
    /// Merges the symbols of <paramref name="text"/> whose initial boundaries are given and returns the
    /// final symbols as (start, length) spans in order. Frozen symbols never merge.
    /// </summary>
    public static List<(int Start, int Length)> Merge(
        string text, IReadOnlyList<(int Start, int Length, bool Frozen)> initial, BpeMergeLookup lookup, BpeMergeObserver? observer = null)
    {
        var n = initial.Count;
        var start = new int[n];
        var length = new int[n];
        var frozen = new bool[n];
        var prev = new int[n];
        var next = new int[n];
        for (var i = 0; i < n; i++)
        {
            start[i] = initial[i].Start;
            length[i] = initial[i].Length;
            frozen[i] = initial[i].Frozen;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }

        var agenda = new PriorityQueue<(int Left, int Right, int Size), (float Score, int Left)>(BpeAgendaComparer.Instance);

        void TryAdd(int left, int right)
        {
            if (left < 0 || right < 0 || frozen[left] || frozen[right])
            {
                return;
            }

            var size = length[left] + length[right];
            if (lookup(text.AsSpan(start[left], size), length[left], out var score))
            {
                agenda.Enqueue((left, right, size), (score, left));
            }
        }

        for (var i = 0; i + 1 < n; i++)
        {
            TryAdd(i, i + 1);
        }

        while (agenda.TryDequeue(out var pair, out _))
        {
            // Entries go stale when either side has merged since they were queued.
            if (length[pair.Left] == 0 || length[pair.Right] == 0 || next[pair.Left] != pair.Right
                || length[pair.Left] + length[pair.Right] != pair.Size)
            {
                continue;
            }

            observer?.Invoke(start[pair.Left], length[pair.Left], pair.Size);
            length[pair.Left] = pair.Size;
            length[pair.Right] = 0;
            next[pair.Left] = next[pair.Right];
            if (next[pair.Right] >= 0)
            {
                prev[next[pair.Right]] = pair.Left;
            }

            TryAdd(prev[pair.Left], pair.Left);
            TryAdd(pair.Left, next[pair.Left]);
        }

        var result = new List<(int, int)>();
        for (var i = n > 0 ? 0 : -1; i >= 0; i = next[i])
        {
            result.Add((start[i], length[i]));
        }

        return result;
    }
}
