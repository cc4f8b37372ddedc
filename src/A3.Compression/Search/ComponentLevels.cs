using A3.Compression.Budget;

namespace A3.Compression.Search;

/// <summary>
/// The sizes one component of one layer may take in a search (full first, then smaller on the rounding grid), the
/// parameters each removes and the measured cost of each when it is the only change to the model.
/// </summary>
internal sealed class ComponentLevels
{
    public ComponentLevels(int layer, A3Component component, int[] kept, long[] removed)
    {
        Layer = layer;
        Component = component;
        Kept = kept;
        Removed = removed;
        Cost = new double[kept.Length];
    }

    /// <summary>Gets the layer.</summary>
    public int Layer { get; }

    /// <summary>Gets the component.</summary>
    public A3Component Component { get; }

    /// <summary>Gets the kept sizes, descending; <c>Kept[0]</c> is the full size.</summary>
    public int[] Kept { get; }

    /// <summary>Gets the decoder-linear parameters each level removes; <c>Removed[0]</c> is 0.</summary>
    public long[] Removed { get; }

    /// <summary>Gets the objective measured with only this level changed (level 0: the layer solved at full size).</summary>
    public double[] Cost { get; }

    /// <summary>Gets the number of levels.</summary>
    public int Count => Kept.Length;

    /// <summary>
    /// Returns the sizes of a component of <paramref name="full"/> units on a grid of <paramref name="step"/>, full
    /// first: every grid size when there are at most <paramref name="maxLevels"/>, else that many spread evenly from
    /// the full size to one step.
    /// </summary>
    public static int[] Grid(int full, int step, int maxLevels)
    {
        var sizes = new List<int> { full };
        while (RoundingGrid.Smaller(sizes[^1], full, step) is int smaller)
        {
            sizes.Add(smaller);
        }

        if (sizes.Count <= maxLevels)
        {
            return [.. sizes];
        }

        return Enumerable.Range(0, maxLevels)
            .Select(j => sizes[(int)Math.Round(j * (sizes.Count - 1) / (double)(maxLevels - 1), MidpointRounding.AwayFromZero)])
            .Distinct()
            .ToArray();
    }
}
