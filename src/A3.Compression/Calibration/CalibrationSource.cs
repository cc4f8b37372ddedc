namespace A3.Compression.Calibration;

/// <summary>What calibration windows were drawn from.</summary>
/// <param name="Units">The documents or blocks selected.</param>
/// <param name="UnitName"><c>documents</c> or <c>blocks</c>.</param>
/// <param name="Tokens">The tokens of the selected units (with BOS for documents): the stream windows start in.</param>
public sealed record CalibrationSource(int Units, string UnitName, long Tokens);
