using A3.Runtime.Reporting;

namespace A3.Compression.Recipes;

/// <summary>Describes which layers' statistics a run reused from the cache, as ranges.</summary>
internal static class StatisticsReuse
{
    /// <summary>Returns a line such as <c>statistics: reused layers 0-19, collected layers 20-31</c>.</summary>
    public static string Describe(IReadOnlyList<LayerRunFacts> layers)
    {
        var reused = Ranges(layers.Where(layer => layer.StatisticsReused).Select(layer => layer.Index));
        var collected = Ranges(layers.Where(layer => !layer.StatisticsReused).Select(layer => layer.Index));
        return $"statistics: reused {reused}, collected {collected}";
    }

    private static string Ranges(IEnumerable<int> indices)
    {
        var ranges = new List<string>();
        int? first = null, last = null;
        foreach (var index in indices.Order())
        {
            if (last == index - 1)
            {
                last = index;
                continue;
            }

            Flush();
            first = last = index;
        }

        Flush();
        return ranges.Count == 0 ? "no layers" : $"layer{(ranges.Count == 1 && !ranges[0].Contains('-', StringComparison.Ordinal) ? string.Empty : "s")} {string.Join(", ", ranges)}";

        void Flush()
        {
            if (first is int from && last is int to)
            {
                ranges.Add(from == to ? $"{from}" : $"{from}-{to}");
            }
        }
    }
}
