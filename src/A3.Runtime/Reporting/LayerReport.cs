namespace A3.Runtime.Reporting;

/// <summary>What one layer kept and lost.</summary>
/// <param name="Index">The layer index.</param>
/// <param name="Components">Per component (A3) or projection (baselines).</param>
public sealed record LayerReport(int Index, IReadOnlyList<ComponentReport> Components);
