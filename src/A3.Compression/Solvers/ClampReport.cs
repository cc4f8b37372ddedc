namespace A3.Compression.Solvers;

/// <summary>
/// How many eigenvalues of symmetric positive semi-definite matrices fell below the clamp
/// <c>eps·max(eig)</c> and were treated as zero (pseudo-inverse on the null space), so a caller
/// can warn about rank-deficient calibration statistics.
/// </summary>
/// <param name="Dimension">Total number of eigenvalues examined.</param>
/// <param name="ClampedEigenvalues">How many of them were below the clamp.</param>
/// <param name="Threshold">The largest clamp value <c>eps·max(eig)</c> that was applied.</param>
/// <param name="LargestEigenvalue">The largest eigenvalue seen.</param>
public sealed record ClampReport(int Dimension, int ClampedEigenvalues, double Threshold, double LargestEigenvalue)
{
    /// <summary>Gets the report of no decomposition at all, the identity of <see cref="Combine"/>.</summary>
    public static ClampReport None { get; } = new(0, 0, 0, 0);

    /// <summary>Gets a value indicating whether any eigenvalue was clamped.</summary>
    public bool AnyClamped => ClampedEigenvalues > 0;

    /// <summary>
    /// Merges two reports: counts add up, and the threshold and largest eigenvalue are the
    /// worst case of the two, which is what a single warning per layer needs.
    /// </summary>
    /// <param name="other">The report to merge with this one.</param>
    /// <returns>The merged report.</returns>
    public ClampReport Combine(ClampReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new ClampReport(
            Dimension + other.Dimension,
            ClampedEigenvalues + other.ClampedEigenvalues,
            Math.Max(Threshold, other.Threshold),
            Math.Max(LargestEigenvalue, other.LargestEigenvalue));
    }
}
