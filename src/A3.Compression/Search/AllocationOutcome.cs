using A3.Runtime.Reporting;

namespace A3.Compression.Search;

/// <summary>What a measuring allocator decided and spent, completed by the engine with the objective of the model it wrote.</summary>
/// <param name="Allocator">The allocation as recipes name it.</param>
/// <param name="Predicted">The objective of the chosen plan, as the search measured it.</param>
/// <param name="RunFacts">What the allocation spent.</param>
internal sealed record AllocationOutcome(string Allocator, double Predicted, AllocationRunFacts RunFacts);
