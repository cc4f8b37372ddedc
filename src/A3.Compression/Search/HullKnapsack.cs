namespace A3.Compression.Search;

/// <summary>
/// The multiple-choice knapsack a budget search starts from: one level per group (a component of a layer), at least
/// a target of parameters removed, least total cost, solved greedily along each group's lower convex hull.
/// </summary>
internal static class HullKnapsack
{
    /// <summary>
    /// Meets the target greedily along each group's lower convex hull of (parameters removed, cost): the step with
    /// the least added cost per parameter first. On a hull the greedy choice is optimal for the relaxed problem.
    /// </summary>
    public static int[] Solve(IReadOnlyList<ComponentLevels> groups, long target)
    {
        var levels = new int[groups.Count];
        var hulls = groups.Select(LowerHull).ToArray();
        var position = new int[groups.Count];
        long removed = 0;
        while (removed < target)
        {
            int best = -1;
            double bestSlope = double.PositiveInfinity;
            for (int g = 0; g < groups.Count; g++)
            {
                var hull = hulls[g];
                if (position[g] + 1 >= hull.Length)
                {
                    continue;
                }

                var (from, to) = (hull[position[g]], hull[position[g] + 1]);
                var slope = (groups[g].Cost[to] - groups[g].Cost[from]) / (groups[g].Removed[to] - groups[g].Removed[from]);
                if (slope < bestSlope)
                {
                    (best, bestSlope) = (g, slope);
                }
            }

            if (best < 0)
            {
                break;
            }

            position[best]++;
            var level = hulls[best][position[best]];
            removed += groups[best].Removed[level] - groups[best].Removed[levels[best]];
            levels[best] = level;
        }

        return levels;
    }

    /// <summary>The levels on the lower convex hull of a group's (removed, cost) points, from level 0.</summary>
    internal static int[] LowerHull(ComponentLevels group)
    {
        var hull = new List<int> { 0 };
        for (int level = 1; level < group.Count; level++)
        {
            while (hull.Count >= 2 && !TurnsUp(group, hull[^2], hull[^1], level))
            {
                hull.RemoveAt(hull.Count - 1);
            }

            hull.Add(level);
        }

        return [.. hull];
    }

    /// <summary>Whether <paramref name="b"/> lies strictly below the segment from <paramref name="a"/> to <paramref name="c"/>.</summary>
    private static bool TurnsUp(ComponentLevels group, int a, int b, int c)
    {
        double x1 = group.Removed[b] - group.Removed[a], y1 = group.Cost[b] - group.Cost[a];
        double x2 = group.Removed[c] - group.Removed[a], y2 = group.Cost[c] - group.Cost[a];
        return (x1 * y2) - (y1 * x2) > 0;
    }
}
