namespace A3.Runtime.Reporting;

/// <summary>The outcome of compressing one layer.</summary>
/// <param name="Index">The layer index.</param>
/// <param name="Components">Per component (A3) or projection (baselines).</param>
/// <param name="StatisticsSeconds">Seconds spent collecting the layer's statistics.</param>
/// <param name="SolveSeconds">Seconds spent in the solvers.</param>
/// <param name="StatisticsReused">Whether the statistics came from a statistics cache instead of a pass over the calibration set.</param>
public sealed record LayerReport(int Index, IReadOnlyList<ComponentReport> Components, double StatisticsSeconds, double SolveSeconds, bool StatisticsReused = false);
