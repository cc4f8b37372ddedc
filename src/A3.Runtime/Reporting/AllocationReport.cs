namespace A3.Runtime.Reporting;

/// <summary>
/// How a measuring allocator chose the kept sizes, and how well its prediction held: the end-to-end objective on
/// the selection windows for the plan it chose (with every layer compressed from the original model's statistics)
/// and for the model actually written (calibrated as the run's pipeline says).
/// </summary>
/// <param name="Allocator">The allocation as recipes name it, e.g. <c>search</c>.</param>
/// <param name="Objective">The objective: <c>kl</c>, the mean KL divergence per token of the compressed model's next-token distribution from the original's, in nats.</param>
/// <param name="SelectionTokens">The tokens the objective is measured on.</param>
/// <param name="Predicted">The objective of the chosen plan, as the search measured it.</param>
/// <param name="Measured">The objective of the compressed model written.</param>
public sealed record AllocationReport(string Allocator, string Objective, long SelectionTokens, double Predicted, double Measured);
