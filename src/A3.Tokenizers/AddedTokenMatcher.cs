namespace A3.Tokenizers;

/// <summary>
/// The added tokens of a <c>tokenizer.json</c>: matched literally in the raw text before any
/// normalization (leftmost match first, the longest at equal positions), and looked up by id for decoding.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly (string Content, int Id)[] longestFirst;
    private readonly HashSet<int> specialIds;
    private readonly Dictionary<int, string> contentById;

    /// <summary>Initializes a new instance from the added tokens in file order.</summary>
    public AddedTokenMatcher(IReadOnlyList<(string Content, int Id, bool Special)> tokens)
    {
        longestFirst = tokens.OrderByDescending(t => t.Content.Length).Select(t => (t.Content, t.Id)).ToArray();
        specialIds = tokens.Where(t => t.Special).Select(t => t.Id).ToHashSet();
        contentById = [];
        foreach (var (content, id, _) in tokens)
        {
            contentById.TryAdd(id, content);
        }
    }

    /// <summary>Returns true when the id is a special added token, which decoding skips.</summary>
    public bool IsSpecial(int id) => specialIds.Contains(id);

    /// <summary>Returns the content of an added token's id, or null when the id is not an added token.</summary>
    public string? ContentOf(int id) => contentById.GetValueOrDefault(id);

    /// <summary>
    /// Calls <paramref name="onText"/> for each non-empty stretch between added tokens (with its start in
    /// <paramref name="text"/>) and <paramref name="onToken"/> for each added token, in order.
    /// </summary>
    public void Split(string text, Action<string, int> onText, Action<int> onToken)
    {
        var position = 0;
        while (position < text.Length)
        {
            var (matchAt, content, id) = Find(text, position);
            var end = matchAt < 0 ? text.Length : matchAt;
            if (end > position)
            {
                onText(text[position..end], position);
            }

            if (matchAt < 0)
            {
                break;
            }

            onToken(id);
            position = matchAt + content.Length;
        }
    }

    private (int Index, string Content, int Id) Find(string text, int start)
    {
        var bestIndex = -1;
        (string Content, int Id) best = (string.Empty, -1);

        // Tokens are sorted longest first, so at equal positions the longest wins.
        foreach (var token in longestFirst)
        {
            var index = text.IndexOf(token.Content, start, StringComparison.Ordinal);
            if (index >= 0 && (bestIndex < 0 || index < bestIndex))
            {
                bestIndex = index;
                best = token;
            }
        }

        return (bestIndex, best.Content, best.Id);
    }
}
