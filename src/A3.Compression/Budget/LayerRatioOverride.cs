namespace A3.Compression.Budget;

/// <summary>Ratios that replace the model-wide ones for the layers <c>First..Last</c> (inclusive).</summary>
/// <param name="First">First layer index.</param>
/// <param name="Last">Last layer index (inclusive).</param>
/// <param name="Ratios">The ratios for those layers.</param>
public sealed record LayerRatioOverride(int First, int Last, ComponentRatios Ratios);
