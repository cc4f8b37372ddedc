namespace A3.Runtime.Reporting;

/// <summary>What one component (or, for the baselines, one projection) of a layer kept and lost.</summary>
/// <param name="Component"><c>qk</c>, <c>ov</c>, <c>mlp</c>, or a projection name such as <c>q_proj</c>.</param>
/// <param name="Original">The original inner size (head dim, intermediate size, or full rank).</param>
/// <param name="Kept">The kept inner size (head dim, intermediate size, or rank).</param>
/// <param name="RelativeError">Functional error relative to the component's output energy on the calibration data.</param>
public sealed record ComponentReport(string Component, int Original, int Kept, double RelativeError);
