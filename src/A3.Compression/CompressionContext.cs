using System.Diagnostics;
using A3.Compression.Calibration;
using A3.Compression.Pipelines;
using A3.Compression.Search;
using A3.Compression.Statistics;
using A3.Runtime.Model;
using A3.Runtime.Progress;
using TorchSharp;

namespace A3.Compression;

/// <summary>
/// What a <see cref="Methods.ICompressionMethod"/> may use while it plans one model: the model's configuration,
/// the device, and the original model's per-layer statistics (reused from and stored in the run's statistics
/// cache, so a later run with another plan pays nothing for them).
/// </summary>
public sealed class CompressionContext : IDisposable
{
    private readonly ModelCheckpoint source;
    private readonly CompressionSettings settings;
    private readonly LayerRunner runner;
    private readonly LayerStatisticsSource statistics;
    private readonly StatisticsChain? chain;
    private readonly IProgress<ProgressUpdate>? progress;

    internal CompressionContext(
        ModelCheckpoint source,
        CalibrationSet calibration,
        CompressionSettings settings,
        LayerRunner runner,
        LayerStatisticsSource statistics,
        StatisticsChain? chain,
        IProgress<ProgressUpdate>? progress)
    {
        this.source = source;
        this.settings = settings;
        this.runner = runner;
        this.statistics = statistics;
        this.chain = chain;
        this.progress = progress;
        Calibration = calibration;
        Device = settings.Device;
    }

    /// <summary>Gets the configuration of the model being compressed.</summary>
    public ModelConfig Config => source.Config;

    /// <summary>Gets the calibration windows.</summary>
    public CalibrationSet Calibration { get; }

    /// <summary>Gets the device statistics and solvers run on.</summary>
    public torch.Device Device { get; }

    /// <summary>Gets the windows a measuring allocator compares candidates on: the settings' selection windows, else the calibration windows.</summary>
    public CalibrationSet Selection => settings.Selection ?? Calibration;

    /// <summary>Gets the statistics cache of the run, where a search also keeps its sensitivity table.</summary>
    internal LayerStatisticsCache? StatisticsCache => settings.StatisticsCache;

    /// <summary>Gets the start of the run's statistics chain (present with a statistics cache).</summary>
    internal StatisticsChain? Chain => chain;

    /// <summary>Gets where planning reports its steps.</summary>
    internal IProgress<ProgressUpdate>? Progress => progress;

    /// <summary>Gets the runner of single layers over calibration states.</summary>
    internal LayerRunner Runner => runner;

    /// <summary>Gets the end-to-end objective on <see cref="Selection"/>, once a planner has asked for it.</summary>
    internal SelectionObjective? Objective { get; private set; }

    /// <summary>Gets or sets what a measuring allocator decided and spent, for the report and the run facts.</summary>
    internal AllocationOutcome? Allocation { get; set; }

    /// <summary>Returns the end-to-end objective on <see cref="Selection"/>, running the original model over it the first time.</summary>
    internal SelectionObjective SelectionObjective(CancellationToken cancellationToken) =>
        Objective ??= Search.SelectionObjective.Create(source, Selection, settings, runner, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        Objective?.Dispose();
        Objective = null;
    }

    /// <summary>
    /// Visits every layer of the original model, bottom-up, with its float64 weights and its statistics over
    /// the original model's activations (the <see cref="CalibrationPipeline.Independent"/> pipeline), reporting
    /// one progress step per layer. The weights and statistics are disposed after each visit.
    /// </summary>
    /// <param name="stage">What the visits do, for progress, e.g. <c>plan: error curves</c>.</param>
    /// <param name="visit">Called with the layer index, its weights and its statistics.</param>
    /// <param name="cancellationToken">Checked between layers and inside statistics passes.</param>
    public void VisitOriginalLayers(string stage, Action<int, LayerWeights, LayerStatistics> visit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        ArgumentNullException.ThrowIfNull(visit);
        var pipeline = CalibrationPipeline.Independent;
        var clock = Stopwatch.StartNew();
        using var inputs = new LayerInputs(() => runner.Embed(Calibration), (index, hidden) => pipeline.Forward(runner, index, null, hidden));
        var link = chain;
        for (int index = 0; index < Config.NumLayers; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (layerStatistics, _) = statistics.Get(index, link?.KeyOf(index), inputs, keepOutput: true);
            using (layerStatistics)
            using (var weights = LayerWeightsReader.Read(Config, index, source.Weights, torch.float64, Device))
            {
                visit(index, weights, layerStatistics);
            }

            link = link?.AfterOriginal(index);
            progress?.Report(new ProgressUpdate($"{stage} of layer {index}", index + 1, Config.NumLayers, clock.Elapsed));
        }
    }
}
