namespace A3.Runtime.Reporting;

/// <summary>What a measuring allocator spent in one run.</summary>
/// <param name="SensitivitiesReused">Whether the table of single-change costs came from the statistics cache.</param>
/// <param name="Measurements">Single-change costs measured (0 when the table was reused).</param>
/// <param name="Evaluations">Whole plans measured by the local search.</param>
/// <param name="ForwardEquivalents">The work, in forward passes of the whole model over the selection windows.</param>
/// <param name="Seconds">Wall-clock seconds of the allocation.</param>
public sealed record AllocationRunFacts(bool SensitivitiesReused, int Measurements, int Evaluations, double ForwardEquivalents, double Seconds);
