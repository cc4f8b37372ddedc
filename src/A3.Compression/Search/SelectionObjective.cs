using A3.Compression.Calibration;
using A3.Runtime.Evaluation;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Compression.Search;

/// <summary>
/// The end-to-end objective a budget search compares every candidate on: the mean KL divergence, per token, of a
/// compressed model's next-token distribution from the original model's, on the selection windows. One scale for
/// every layer and component, measured rather than modelled. It keeps the original layers loaded, the hidden
/// states entering each of them and the original log-probabilities, so a change in layer ℓ costs a forward of
/// layers ℓ … L−1 only.
/// </summary>
internal sealed class SelectionObjective : IDisposable
{
    private readonly LayerRunner runner;
    private readonly DecoderLayer[] originals;
    private readonly torch.Tensor[] inputs;
    private readonly RmsNorm finalNorm;
    private readonly torch.Tensor head;
    private readonly torch.Tensor reference;
    private readonly int batchSize;

    private SelectionObjective(LayerRunner runner, DecoderLayer[] originals, torch.Tensor[] inputs, RmsNorm finalNorm, torch.Tensor head, torch.Tensor reference, int batchSize)
    {
        this.runner = runner;
        this.originals = originals;
        this.inputs = inputs;
        this.finalNorm = finalNorm;
        this.head = head;
        this.reference = reference;
        this.batchSize = batchSize;
        Tokens = reference.shape[0] * reference.shape[1];
    }

    /// <summary>Gets the number of scored tokens (every position of every window).</summary>
    public long Tokens { get; }

    /// <summary>Gets the number of layers.</summary>
    public int Layers => originals.Length;

    /// <summary>Gets how many single-layer forwards over the selection windows the objective has run, the search's cost unit.</summary>
    public long LayerForwards { get; private set; }

    /// <summary>Gets the hidden states entering original layer <paramref name="index"/> (index <see cref="Layers"/>: the last layer's output); owned by this objective.</summary>
    public torch.Tensor InputOf(int index) => inputs[index];

    /// <summary>Runs the original model over <paramref name="windows"/> once and keeps what later measurements start from.</summary>
    public static SelectionObjective Create(ModelCheckpoint source, CalibrationSet windows, CompressionSettings settings, LayerRunner runner, CancellationToken cancellationToken)
    {
        var config = source.Config;
        var owned = new List<IDisposable>();
        try
        {
            var originals = new DecoderLayer[config.NumLayers];
            var inputs = new torch.Tensor[config.NumLayers + 1];
            inputs[0] = Own(owned, runner.Embed(windows));
            for (int index = 0; index < config.NumLayers; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                originals[index] = Own(owned, DecoderLayer.Load(config, index, source.Weights, settings.Device, settings.ComputeType));
                inputs[index + 1] = Own(owned, runner.Run(originals[index], inputs[index]));
            }

            var loader = new CheckedWeightLoader(source.Weights, config, settings.ComputeType, settings.Device);
            var finalNorm = Own(owned, new RmsNorm(loader.Load(TensorNames.FinalNorm), config.RmsNormEps));
            var head = Own(owned, loader.Load(config.TieWordEmbeddings ? TensorNames.Embeddings : TensorNames.LmHead));
            var reference = Own(owned, torch.empty(windows.Count, windows.SequenceLength, head.shape[0], torch.float32).DetachFromDisposeScope());
            for (long start = 0; start < windows.Count; start += settings.BatchSize)
            {
                using var scope = torch.NewDisposeScope();
                long length = Math.Min(settings.BatchSize, windows.Count - start);
                reference.narrow(0, start, length).copy_(LogProbabilities(finalNorm, head, inputs[config.NumLayers].narrow(0, start, length)).cpu());
            }

            return new SelectionObjective(runner, originals, inputs, finalNorm, head, reference, settings.BatchSize);
        }
        catch
        {
            foreach (var item in owned)
            {
                item.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Measures the model whose layers <paramref name="from"/> … L−1 are <paramref name="layerAt"/>'s (the original
    /// layer where it returns <see langword="null"/>), fed with <paramref name="start"/> (the hidden states entering
    /// layer <paramref name="from"/>; the original model's when <see langword="null"/>).
    /// </summary>
    /// <param name="from">The first layer to run.</param>
    /// <param name="start">The hidden states entering it, or <see langword="null"/> for the original model's; not disposed.</param>
    /// <param name="layerAt">The layer to run at each index, or <see langword="null"/> for the original.</param>
    /// <param name="record">When given, receives the hidden states entering layers <paramref name="from"/>+1 … L (earlier entries there are disposed first); the caller owns them.</param>
    /// <returns>The mean KL divergence per token, in nats.</returns>
    public double Measure(int from, torch.Tensor? start, Func<int, DecoderLayer?> layerAt, torch.Tensor?[]? record = null)
    {
        var hidden = start ?? inputs[from];
        var owned = false;
        for (int index = from; index < Layers; index++)
        {
            var next = runner.Run(layerAt(index) ?? originals[index], hidden);
            LayerForwards++;
            if (owned && record is null)
            {
                hidden.Dispose();
            }

            if (record is not null)
            {
                record[index + 1]?.Dispose();
                record[index + 1] = next;
            }

            hidden = next;
            owned = true;
        }

        var divergence = Divergence(hidden);
        if (owned && record is null)
        {
            hidden.Dispose();
        }

        return divergence;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var layer in originals)
        {
            layer?.Dispose();
        }

        foreach (var input in inputs)
        {
            input?.Dispose();
        }

        finalNorm.Dispose();
        head.Dispose();
        reference.Dispose();
    }

    private static T Own<T>(List<IDisposable> owned, T item)
        where T : IDisposable
    {
        owned.Add(item);
        return item;
    }

    private static torch.Tensor LogProbabilities(RmsNorm finalNorm, torch.Tensor head, torch.Tensor hidden) =>
        torch.nn.functional.log_softmax(torch.nn.functional.linear(finalNorm.Forward(hidden), head).to(torch.float64), -1);

    /// <summary>Sums KL(original ‖ candidate) over every token in a fixed batch order, in float64, and averages it.</summary>
    private double Divergence(torch.Tensor last)
    {
        double total = 0;
        for (long start = 0; start < last.shape[0]; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            long length = Math.Min(batchSize, last.shape[0] - start);
            var candidate = LogProbabilities(finalNorm, head, last.narrow(0, start, length)).cpu();
            var original = reference.narrow(0, start, length).to(torch.float64);
            total += KlDivergence.Sum(original, candidate);
        }

        return total / Tokens;
    }
}
