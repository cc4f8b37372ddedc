using System.Text.Json.Serialization;

namespace A3.Runtime.Reporting;

/// <summary>
/// The facts of one compression run that differ between runs of the same inputs: how long it took and which
/// layers' statistics came from a cache. Kept out of <see cref="CompressionReport"/> so that report is reproducible.
/// </summary>
/// <param name="Seconds">Wall-clock seconds of the compression (calibration, statistics and solvers).</param>
/// <param name="EvaluationSeconds">Seconds of the evaluation, when there was one.</param>
/// <param name="Layers">Per-layer times and statistics reuse.</param>
/// <param name="Allocation">What a measuring allocator spent; absent (not written) for the others.</param>
/// <param name="PlanSeconds">Seconds the method spent planning the layers' sizes before the first layer (the allocation).</param>
/// <param name="WriteSeconds">Seconds writing the model folder, when the run wrote one.</param>
public sealed record CompressionRunFacts(
    double Seconds,
    double? EvaluationSeconds,
    IReadOnlyList<LayerRunFacts> Layers,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AllocationRunFacts? Allocation = null,
    double PlanSeconds = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? WriteSeconds = null);
