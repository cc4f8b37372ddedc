using System.Diagnostics;
using System.Globalization;
using A3.Compression.Budget;
using A3.Compression.Solvers;
using A3.Runtime.Model;
using A3.Runtime.Progress;
using TorchSharp;

namespace A3.Compression.Search;

/// <summary>
/// Finds the kept sizes of every layer and component that remove a budget of decoder-linear parameters at the
/// least end-to-end cost (<see cref="SelectionObjective"/>):
/// <list type="number">
/// <item>a sensitivity table: the cost of each size of each component of each layer with only that change made;</item>
/// <item>a multiple-choice knapsack over the table (greedy on each component's lower convex hull of cost against parameters removed) that meets the budget;</item>
/// <item>a local search over whole plans, EvoPress-style: a component gives a level back while another takes one more, accepted only when the measured objective of the whole plan improves, within a fixed number of evaluations and <see cref="Radius"/> levels of the knapsack's choice.</item>
/// </list>
/// Every candidate is the model compressed from the original model's statistics, the plan is deterministic, and
/// ties go to lower layers and the order QK, OV, MLP.
/// </summary>
internal sealed class BudgetSearch : IDisposable
{
    /// <summary>How many of a round's best-predicted moves are measured before the search stops for want of an improvement.</summary>
    private const int MovesTriedPerRound = 8;

    /// <summary>
    /// How many levels the local search may move a group from the knapsack's choice. Every part it may reach is
    /// solved and held before it starts, about <c>2·Radius + 1</c> times the planned model's decoder weights in
    /// float32: the bound on the search's memory.
    /// </summary>
    internal const int Radius = 1;

    private readonly CompressionContext context;
    private readonly SelectionObjective objective;
    private readonly MlpSelector selector;
    private readonly List<A3LayerSolver> solvers = [];
    private readonly List<ComponentLevels> groups = [];
    private int[] lowest = [];
    private int[] highest = [];

    public BudgetSearch(CompressionContext context, SelectionObjective objective, MlpSelector selector)
    {
        this.context = context;
        this.objective = objective;
        this.selector = selector;
    }

    /// <summary>Gets the groups (layer, component) with their levels and measured costs, in layer then component order.</summary>
    public IReadOnlyList<ComponentLevels> Groups => groups;

    /// <summary>Gets the single-change costs measured.</summary>
    public int Measurements { get; private set; }

    /// <summary>Gets a value indicating whether the sensitivity table came from the statistics cache.</summary>
    public bool SensitivitiesReused { get; private set; }

    /// <summary>Gets the whole plans the local search measured.</summary>
    public int Evaluations { get; private set; }

    /// <summary>Gets the objective of the plan returned, as measured.</summary>
    public double Objective { get; private set; }

    /// <summary>
    /// Measures every level of every component of every layer as the only change, one layer at a time (each part is
    /// released once measured), or reads the costs from the statistics cache when a run with the same model,
    /// windows and sizes stored them.
    /// </summary>
    public void MeasureSensitivities(int roundTo, int maxLevels, CancellationToken cancellationToken)
    {
        var config = context.Config;
        var steps = Steps.Of(config, roundTo);
        var pairs = ComponentLevels.Grid(config.OriginalHeadDim / 2, steps.Pairs, maxLevels);
        var valueDims = ComponentLevels.Grid(config.OriginalHeadDim, steps.HeadDim, maxLevels);
        var neurons = ComponentLevels.Grid(config.IntermediateSize, steps.Intermediate, maxLevels);
        var full = FullPlan();
        var fullParameters = CompressionPlan.LayerParameters(config, full);
        for (int layer = 0; layer < config.NumLayers; layer++)
        {
            foreach (var (component, sizes) in new[] { (A3Component.Qk, pairs), (A3Component.Ov, valueDims), (A3Component.Mlp, neurons) })
            {
                var removed = sizes.Select(size => fullParameters - CompressionPlan.LayerParameters(config, full.With(component, size))).ToArray();
                groups.Add(new ComponentLevels(layer, component, sizes, removed));
            }
        }

        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"objective kl; selector {selector}; qk {string.Join(',', pairs)}; ov {string.Join(',', valueDims)}; mlp {string.Join(',', neurons)}");
        var key = context.Chain?.SensitivityKey(context.Selection, description);
        var stored = key is null ? null : context.StatisticsCache!.TryLoadTable(key);
        if (stored is not null && stored.Length == groups.Sum(group => group.Count))
        {
            SensitivitiesReused = true;
            var offset = 0;
            foreach (var group in groups)
            {
                Array.Copy(stored, offset, group.Cost, 0, group.Count);
                offset += group.Count;
            }

            return;
        }

        context.VisitOriginalLayers(
            "plan: sensitivities",
            (layer, weights, statistics) =>
            {
                using var solver = new A3LayerSolver(config, layer, weights, statistics, selector, cancellationToken);
                if (neurons.Length > 1)
                {
                    solver.RankNeurons(neurons[1]);
                }

                double baseline = Measure(layer, solver, full);
                foreach (var group in groups.Where(group => group.Layer == layer))
                {
                    group.Cost[0] = baseline;
                    for (int level = 1; level < group.Count; level++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        group.Cost[level] = Measure(layer, solver, full.With(group.Component, group.Kept[level]));

                        // At real sizes every part of a layer together is several times the layer: keep the full-size ones only.
                        solver.Release(group.Component, group.Kept[level]);
                    }
                }
            },
            cancellationToken);
        if (key is not null)
        {
            context.StatisticsCache!.StoreTable(key, groups.SelectMany(group => group.Cost).ToArray());
        }
    }

    /// <summary>Returns the plan of least cost that removes at least <paramref name="target"/> parameters, searching at most <paramref name="maxEvaluations"/> whole plans.</summary>
    public CompressionPlan Search(long target, int maxEvaluations, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        var levels = HullKnapsack.Solve(groups, target);
        SolveNeighbourhood(levels, cancellationToken);
        var clock = Stopwatch.StartNew();
        var layerCount = context.Config.NumLayers;
        var layers = new DecoderLayer?[layerCount];
        var states = new torch.Tensor?[layerCount + 1];
        try
        {
            for (int layer = 0; layer < layerCount; layer++)
            {
                layers[layer] = Build(layer, levels);
            }

            Objective = objective.Measure(0, null, layer => layers[layer], states);
            Evaluations = 1;
            while (Evaluations < maxEvaluations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var improved = false;
                foreach (var move in Moves(levels, target).Take(MovesTriedPerRound))
                {
                    if (Evaluations >= maxEvaluations)
                    {
                        break;
                    }

                    if (TryMove(levels, move, layers, states))
                    {
                        improved = true;
                        break;
                    }
                }

                progress?.Report(new ProgressUpdate($"plan: search (KL {Objective:G4})", Evaluations, maxEvaluations, clock.Elapsed));
                if (!improved)
                {
                    break;
                }
            }

            return Plan(levels);
        }
        finally
        {
            foreach (var layer in layers)
            {
                layer?.Dispose();
            }

            foreach (var state in states.Skip(1))
            {
                state?.Dispose();
            }
        }
    }

    /// <summary>
    /// Solves, for every group, the parts within <see cref="Radius"/> levels of <paramref name="levels"/>: all the
    /// search may assemble. A second pass over the original layers (its statistics come from the cache when stored).
    /// </summary>
    private void SolveNeighbourhood(int[] levels, CancellationToken cancellationToken)
    {
        lowest = groups.Select((group, g) => Math.Max(0, levels[g] - Radius)).ToArray();
        highest = groups.Select((group, g) => Math.Min(group.Count - 1, levels[g] + Radius)).ToArray();
        context.VisitOriginalLayers(
            "plan: solve sizes near the knapsack's",
            (layer, weights, statistics) =>
            {
                var solver = new A3LayerSolver(context.Config, layer, weights, statistics, selector, cancellationToken);
                solvers.Add(solver);
                for (int g = 0; g < groups.Count; g++)
                {
                    if (groups[g].Layer != layer)
                    {
                        continue;
                    }

                    // The ranking the sensitivities used, so every part is the one that was measured.
                    if (groups[g].Component == A3Component.Mlp && groups[g].Count > 1)
                    {
                        solver.RankNeurons(groups[g].Kept[1]);
                    }

                    for (int level = lowest[g]; level <= highest[g]; level++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        solver.Part(groups[g].Component, groups[g].Kept[level]);
                    }
                }
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var solver in solvers)
        {
            solver.Dispose();
        }
    }

    /// <summary>
    /// The moves from <paramref name="levels"/> that keep at least <paramref name="target"/> removed: one group gives a
    /// level back (alone, when the budget allows, or while another takes one more), best predicted first by the
    /// single-change costs.
    /// </summary>
    private IEnumerable<Move> Moves(int[] levels, long target)
    {
        long removed = Removed(levels);
        var moves = new List<Move>();
        for (int back = 0; back < groups.Count; back++)
        {
            if (levels[back] == lowest[back])
            {
                continue;
            }

            var give = groups[back];
            long freed = give.Removed[levels[back]] - give.Removed[levels[back] - 1];
            double saved = give.Cost[levels[back] - 1] - give.Cost[levels[back]];
            if (removed - freed >= target)
            {
                moves.Add(new Move(back, -1, saved));
            }

            for (int more = 0; more < groups.Count; more++)
            {
                if (more == back || levels[more] == highest[more])
                {
                    continue;
                }

                var take = groups[more];
                long taken = take.Removed[levels[more] + 1] - take.Removed[levels[more]];
                if (removed - freed + taken >= target)
                {
                    moves.Add(new Move(back, more, saved + take.Cost[levels[more] + 1] - take.Cost[levels[more]]));
                }
            }
        }

        return moves.OrderBy(move => move.Predicted).ThenBy(move => move.Back).ThenBy(move => move.More);
    }

    /// <summary>Measures the plan after <paramref name="move"/> from its lowest changed layer; keeps it when the objective falls.</summary>
    private bool TryMove(int[] levels, Move move, DecoderLayer?[] layers, torch.Tensor?[] states)
    {
        var candidate = (int[])levels.Clone();
        candidate[move.Back]--;
        if (move.More >= 0)
        {
            candidate[move.More]++;
        }

        var changed = new[] { move.Back, move.More }.Where(g => g >= 0).Select(g => groups[g].Layer).Distinct().Order().ToArray();
        var built = changed.ToDictionary(layer => layer, layer => Build(layer, candidate));
        var from = changed[0];
        var trial = new torch.Tensor?[states.Length];
        Evaluations++;
        var value = objective.Measure(from, from == 0 ? null : states[from], layer => built.TryGetValue(layer, out var replaced) ? replaced : layers[layer], trial);

        // A relative margin keeps the search from wandering on rounding noise; it only accepts real improvements.
        if (value < Objective * (1 - 1e-9))
        {
            Objective = value;
            Array.Copy(candidate, levels, levels.Length);
            foreach (var (layer, replacement) in built)
            {
                layers[layer]?.Dispose();
                layers[layer] = replacement;
            }

            for (int index = from + 1; index < states.Length; index++)
            {
                states[index]?.Dispose();
                states[index] = trial[index];
            }

            return true;
        }

        foreach (var replacement in built.Values)
        {
            replacement.Dispose();
        }

        foreach (var state in trial.Skip(from + 1))
        {
            state?.Dispose();
        }

        return false;
    }

    private long Removed(int[] levels) => groups.Select((group, g) => group.Removed[levels[g]]).Sum();

    private CompressionPlan Plan(int[] levels)
    {
        var config = context.Config;
        return new CompressionPlan(Enumerable.Range(0, config.NumLayers).Select(layer => LayerPlanOf(layer, levels)).ToArray());
    }

    private LayerPlan FullPlan() => new(context.Config.OriginalHeadDim / 2, context.Config.OriginalHeadDim, context.Config.IntermediateSize);

    private LayerPlan LayerPlanOf(int layer, int[] levels)
    {
        var plan = FullPlan();
        for (int g = 0; g < groups.Count; g++)
        {
            if (groups[g].Layer == layer)
            {
                plan = plan.With(groups[g].Component, groups[g].Kept[levels[g]]);
            }
        }

        return plan;
    }

    private DecoderLayer Build(int layer, int[] levels)
    {
        using var compressed = solvers[layer].Assemble(LayerPlanOf(layer, levels));
        return context.Runner.LoadCompressed(layer, compressed);
    }

    private double Measure(int layer, A3LayerSolver solver, LayerPlan plan)
    {
        using var compressed = solver.Assemble(plan);
        using var variant = context.Runner.LoadCompressed(layer, compressed);
        Measurements++;
        return objective.Measure(layer, null, index => index == layer ? variant : null);
    }

    /// <summary>A local-search move: group <see cref="Back"/> gives a level back; group <see cref="More"/> (or none, −1) takes one more.</summary>
    private sealed record Move(int Back, int More, double Predicted);
}
