using A3.Compression.Budget;
using A3.Compression.Search;

namespace A3.Compression.Tests.Search;

/// <summary>The knapsack a budget search starts from, against exhaustive search on small instances.</summary>
public sealed class HullKnapsackTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void On_convex_unit_steps_it_finds_the_least_cost_plan_that_meets_the_target(int seed)
    {
        // With every step removing one unit and costs convex per group, the greedy is exactly optimal.
        var random = new Random(seed);
        var groups = Enumerable.Range(0, 4).Select(g => Convex(g, random, levels: 5, unitSteps: true)).ToArray();

        foreach (var target in new long[] { 1, 3, 7, 11, 16 })
        {
            var chosen = HullKnapsack.Solve(groups, target);

            var (bestCost, _) = BruteForce(groups, target);
            Assert.True(Removed(groups, chosen) >= target);
            Assert.Equal(bestCost, Cost(groups, chosen), 12);
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void With_steps_of_any_size_it_meets_the_target_and_costs_no_more_than_the_best_plan_removing_as_much(int seed)
    {
        // A hull point is optimal among all plans that remove at least as much as it does (the Lagrangian bound).
        var random = new Random(seed);
        var groups = Enumerable.Range(0, 4).Select(g => Convex(g, random, levels: 4, unitSteps: false)).ToArray();

        foreach (var target in new long[] { 5, 20, 45 })
        {
            var chosen = HullKnapsack.Solve(groups, target);
            var removed = Removed(groups, chosen);

            var (bestCost, _) = BruteForce(groups, removed);
            Assert.True(removed >= target);
            Assert.True(Cost(groups, chosen) <= bestCost + 1e-12, $"greedy {Cost(groups, chosen)} against {bestCost} at {removed} removed");
        }
    }

    [Fact]
    public void A_level_above_its_neighbours_chord_is_skipped()
    {
        var group = new ComponentLevels(0, A3Component.Mlp, [4, 3, 2, 1], [0, 10, 20, 30]);
        group.Cost[0] = 0;
        group.Cost[1] = 5;
        group.Cost[2] = 6;
        group.Cost[3] = 30;

        Assert.Equal([0, 2, 3], HullKnapsack.LowerHull(group));
    }

    [Theory]
    [InlineData(4, 1, 16, new[] { 4, 3, 2, 1 })]
    [InlineData(172, 1, 4, new[] { 172, 115, 58, 1 })]
    [InlineData(8, 4, 16, new[] { 8, 4 })]
    [InlineData(10, 4, 16, new[] { 10, 8, 4 })]
    public void The_level_grid_starts_full_and_spreads_down_to_one_step(int full, int step, int levels, int[] expected)
    {
        Assert.Equal(expected, ComponentLevels.Grid(full, step, levels));
    }

    private static ComponentLevels Convex(int index, Random random, int levels, bool unitSteps)
    {
        var removed = new long[levels];
        for (int level = 1; level < levels; level++)
        {
            removed[level] = removed[level - 1] + (unitSteps ? 1 : random.Next(1, 12));
        }

        var group = new ComponentLevels(index, A3Component.Mlp, Enumerable.Range(0, levels).Select(level => levels - level).ToArray(), removed);
        double slope = random.NextDouble();
        for (int level = 1; level < levels; level++)
        {
            slope += random.NextDouble();
            group.Cost[level] = group.Cost[level - 1] + (slope * (removed[level] - removed[level - 1]));
        }

        return group;
    }

    private static (double Cost, int[] Levels) BruteForce(ComponentLevels[] groups, long target)
    {
        var best = (Cost: double.PositiveInfinity, Levels: Array.Empty<int>());
        var levels = new int[groups.Length];
        void Visit(int g)
        {
            if (g == groups.Length)
            {
                if (Removed(groups, levels) >= target && Cost(groups, levels) < best.Cost)
                {
                    best = (Cost(groups, levels), (int[])levels.Clone());
                }

                return;
            }

            for (int level = 0; level < groups[g].Count; level++)
            {
                levels[g] = level;
                Visit(g + 1);
            }
        }

        Visit(0);
        return best;
    }

    private static long Removed(ComponentLevels[] groups, int[] levels) => groups.Select((group, g) => group.Removed[levels[g]]).Sum();

    private static double Cost(ComponentLevels[] groups, int[] levels) => groups.Select((group, g) => group.Cost[levels[g]]).Sum();
}
