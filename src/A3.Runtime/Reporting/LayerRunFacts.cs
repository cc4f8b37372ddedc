namespace A3.Runtime.Reporting;

/// <summary>How compressing one layer went in one run.</summary>
/// <param name="Index">The layer index.</param>
/// <param name="StatisticsSeconds">Seconds spent collecting (or loading) the layer's statistics.</param>
/// <param name="SolveSeconds">Seconds spent in the solvers.</param>
/// <param name="StatisticsReused">Whether the statistics came from a statistics cache instead of a pass over the calibration set.</param>
public sealed record LayerRunFacts(int Index, double StatisticsSeconds, double SolveSeconds, bool StatisticsReused);
