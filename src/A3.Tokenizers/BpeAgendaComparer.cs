namespace A3.Tokenizers;

/// <summary>Orders <see cref="BpeSymbolMerger"/>'s agenda: higher score first, then the leftmost pair.</summary>
internal sealed class BpeAgendaComparer : IComparer<(float Score, int Left)>
{
    /// <summary>Gets the shared instance.</summary>
    public static BpeAgendaComparer Instance { get; } = new();

    /// <inheritdoc />
    public int Compare((float Score, int Left) x, (float Score, int Left) y)
    {
        var byScore = y.Score.CompareTo(x.Score);
        return byScore != 0 ? byScore : x.Left.CompareTo(y.Left);
    }
}
