namespace A3.Runtime.Reporting;

/// <summary>How compressing one layer went in one run, phase by phase.</summary>
/// <param name="Index">The layer index.</param>
/// <param name="StatisticsSeconds">Seconds spent collecting (or loading) the layer's statistics, not counting the forward passes of earlier layers that produced its inputs.</param>
/// <param name="SolveSeconds">Seconds from the statistics to the finished layer: reading its weights and the solvers.</param>
/// <param name="StatisticsReused">Whether the statistics came from a statistics cache instead of a pass over the calibration set.</param>
/// <param name="WeightsSeconds">Seconds reading the layer's weights from the source into the solvers' float64.</param>
/// <param name="SolverSeconds">Seconds per solver: per component for A3 (<c>qk</c>, <c>ov</c>, <c>mlp</c>), per projection for the low-rank baselines.</param>
/// <param name="ForwardSeconds">Seconds of the compressed layer's forward pass over the calibration windows, which gives the next layer its inputs; <see langword="null"/> where the pipeline did not run it (the last layer, or calibration on the original outputs).</param>
/// <param name="SpoolSeconds">Seconds writing the finished layer to the run's spool on disk.</param>
public sealed record LayerRunFacts(
    int Index,
    double StatisticsSeconds,
    double SolveSeconds,
    bool StatisticsReused,
    double WeightsSeconds = 0,
    IReadOnlyDictionary<string, double>? SolverSeconds = null,
    double? ForwardSeconds = null,
    double SpoolSeconds = 0);
