using System.Diagnostics;
using A3.Compression.Budget;
using A3.Compression.Solvers;
using A3.Compression.Statistics;
using A3.Runtime.Model;
using A3.Runtime.Reporting;
using TorchSharp;

namespace A3.Compression;

/// <summary>
/// Solves the three A3 components of one layer (RoPE pair selection for QK, analytical OV, CUR for the MLP) at
/// any sizes, from the layer's weights and statistics. The components are independent given the statistics, so a
/// layer at any plan is the union of its three parts; each part is solved once and kept until released. Borrows the
/// weights and statistics (they must outlive every call that solves); owns its parts.
/// </summary>
internal sealed class A3LayerSolver : IDisposable
{
    private readonly ModelConfig config;
    private readonly int index;
    private readonly LayerWeights weights;
    private readonly LayerStatistics statistics;
    private readonly MlpSelector selector;
    private readonly LayerTensorNames names;
    private readonly CancellationToken cancellationToken;
    private readonly Dictionary<(A3Component Component, int Kept), A3Part> parts = [];
    private QkRopeSelection? pairScores;
    private MlpNeuronRanking? ranking;
    private double? mlpOutputEnergy;
    private readonly Dictionary<A3Component, TimeSpan> solveTimes = [];

    /// <summary>Initializes a new instance that solves nothing until asked.</summary>
    /// <param name="config">The model's configuration.</param>
    /// <param name="index">The layer's index, for names and warnings.</param>
    /// <param name="weights">The layer's weights; borrowed.</param>
    /// <param name="statistics">The layer's statistics; borrowed.</param>
    /// <param name="selector">How MLP neurons are chosen.</param>
    /// <param name="cancellationToken">Checked between the solvers' native steps: per head group of OV, per pivot of the MLP selection, before each part.</param>
    public A3LayerSolver(ModelConfig config, int index, LayerWeights weights, LayerStatistics statistics, MlpSelector selector, CancellationToken cancellationToken = default)
    {
        this.cancellationToken = cancellationToken;
        this.config = config;
        this.index = index;
        this.weights = weights;
        this.statistics = statistics;
        this.selector = selector;
        names = TensorNames.Layer(index);
    }

    /// <summary>
    /// Ranks the MLP's neurons once, up to <paramref name="longest"/>, so solving many sizes reads one selection
    /// instead of running the selector per size (the first k of the ranking are the neurons a run for k keeps).
    /// </summary>
    public void RankNeurons(int longest)
    {
        if (ranking is null)
        {
            var start = Stopwatch.GetTimestamp();
            ranking = MlpCur.Rank(statistics.Intermediate, weights.Down, longest, selector, cancellationToken);
            Charge(A3Component.Mlp, start);
        }
    }

    /// <summary>Returns <paramref name="component"/> solved at <paramref name="kept"/>; owned by this solver.</summary>
    public A3Part Part(A3Component component, int kept)
    {
        if (!parts.TryGetValue((component, kept), out var part))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = Stopwatch.GetTimestamp();
            part = component switch
            {
                A3Component.Qk => SolveQueryKey(kept),
                A3Component.Ov => SolveValueOutput(kept),
                _ => SolveMlp(kept),
            };
            Charge(component, start);
            parts[(component, kept)] = part;
        }

        return part;
    }

    /// <summary>Disposes the part of <paramref name="component"/> at <paramref name="kept"/>, when solved, so a caller trying many sizes holds few at a time.</summary>
    public void Release(A3Component component, int kept)
    {
        if (parts.Remove((component, kept), out var part))
        {
            part.Dispose();
        }
    }

    /// <summary>Returns the layer at the sizes of <paramref name="plan"/>; the caller owns it (its tensors are copies).</summary>
    public LayerCompression Assemble(LayerPlan plan)
    {
        var queryKey = Part(A3Component.Qk, plan.KeptPairs);
        var valueOutput = Part(A3Component.Ov, plan.VHeadDim);
        var mlp = Part(A3Component.Mlp, plan.IntermediateSize);
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        foreach (var part in new[] { queryKey, valueOutput, mlp })
        {
            foreach (var (name, tensor) in part.Tensors)
            {
                tensors[name] = tensor.clone().DetachFromDisposeScope();
            }
        }

        var shape = new LayerShape(2 * plan.KeptPairs, plan.VHeadDim, plan.IntermediateSize, queryKey.RopePairs!);
        ComponentReport[] components =
        [
            new(Name(A3Component.Qk), config.OriginalHeadDim, shape.QkHeadDim, queryKey.RelativeError),
            new(Name(A3Component.Ov), config.OriginalHeadDim, shape.VHeadDim, valueOutput.RelativeError),
            new(Name(A3Component.Mlp), config.IntermediateSize, shape.IntermediateSize, mlp.RelativeError),
        ];
        var warnings = new[] { queryKey, valueOutput, mlp }.Select(part => part.Warning).OfType<string>().ToList();
        var seconds = solveTimes.ToDictionary(entry => Name(entry.Key), entry => entry.Value.TotalSeconds, StringComparer.Ordinal);
        return new LayerCompression(shape, tensors, components, warnings, seconds);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var part in parts.Values)
        {
            part.Dispose();
        }

        parts.Clear();
    }

    /// <summary>The component's name as the report's components and the run facts' solver times spell it.</summary>
    private static string Name(A3Component component) => component switch
    {
        A3Component.Qk => "qk",
        A3Component.Ov => "ov",
        _ => "mlp",
    };

    /// <summary>Adds the time since <paramref name="start"/> to <paramref name="component"/>'s solve time.</summary>
    private void Charge(A3Component component, long start) =>
        solveTimes[component] = solveTimes.GetValueOrDefault(component) + Stopwatch.GetElapsedTime(start);

    private A3Part SolveQueryKey(int keptPairs)
    {
        using var scope = torch.NewDisposeScope();
        pairScores ??= QkRopeSelector.Select(statistics.Query, statistics.Key, config.OriginalHeadDim / 2);
        var selection = pairScores.WithKeptPairs(keptPairs);
        using var queryKey = QkRopeSelector.Apply(weights.Query, weights.Key, weights.QueryBias, weights.KeyBias, selection);
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal)
        {
            [names.Query.Weight] = StoredTensor.From(queryKey.Query),
            [names.Key.Weight] = StoredTensor.From(queryKey.Key),
        };
        if (config.AttentionBias)
        {
            tensors[names.Query.Bias] = StoredTensor.From(queryKey.QueryBias!);
            tensors[names.Key.Bias] = StoredTensor.From(queryKey.KeyBias!);
        }

        var pairs = selection.PairsPerKeyValueHead.Select(kept => (IReadOnlyList<int>)kept).ToArray();
        return new A3Part(A3Component.Qk, keptPairs, tensors, selection.RelativeError, pairs);
    }

    private A3Part SolveValueOutput(int vHeadDim)
    {
        using var scope = torch.NewDisposeScope();
        using var valueOutput = OvAnalytical.Solve(
            weights.Value, weights.Output, weights.ValueBias, statistics.AttentionOutput, config.NumAttentionHeads, config.NumKeyValueHeads, vHeadDim, cancellationToken: cancellationToken);
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal)
        {
            [names.Value.Weight] = StoredTensor.From(valueOutput.Weights.Value),
            [names.Output.Weight] = StoredTensor.From(valueOutput.Weights.Output),
        };
        if (config.AttentionBias)
        {
            tensors[names.Value.Bias] = StoredTensor.From(valueOutput.Weights.ValueBias!);
        }

        var warning = valueOutput.Clamp.AnyClamped
            ? $"layer {index} ov: {valueOutput.Clamp.ClampedEigenvalues} eigenvalues of the attention-output statistics clamped at {valueOutput.Clamp.Threshold:G3} (largest {valueOutput.Clamp.LargestEigenvalue:G3})"
            : null;
        return new A3Part(A3Component.Ov, vHeadDim, tensors, valueOutput.RelativeError, warning: warning);
    }

    /// <summary>The MLP's output energy <c>tr(W_d C W_dᵀ)</c>, computed once for every size refitted from the ranking.</summary>
    private double MlpOutputEnergy()
    {
        if (mlpOutputEnergy is null)
        {
            using var scope = torch.NewDisposeScope();
            mlpOutputEnergy = BlockedNeuronElimination.OutputEnergy(statistics.Intermediate.to(torch.float64), weights.Down.to(torch.float64), cancellationToken);
        }

        return mlpOutputEnergy.Value;
    }

    private A3Part SolveMlp(int intermediateSize)
    {
        using var scope = torch.NewDisposeScope();
        using var mlp = ranking is not null && intermediateSize <= ranking.Order.Count
            ? MlpCur.Compress(weights.Gate, weights.Up, weights.Down, statistics.Intermediate, ranking.Kept(intermediateSize), outputEnergy: MlpOutputEnergy(), cancellationToken: cancellationToken)
            : MlpCur.Compress(weights.Gate, weights.Up, weights.Down, statistics.Intermediate, intermediateSize, selector, cancellationToken: cancellationToken);
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal)
        {
            [names.Gate.Weight] = StoredTensor.From(mlp.Gate),
            [names.Up.Weight] = StoredTensor.From(mlp.Up),
            [names.Down.Weight] = StoredTensor.From(mlp.Down),
        };
        return new A3Part(A3Component.Mlp, intermediateSize, tensors, mlp.RelativeError);
    }
}
