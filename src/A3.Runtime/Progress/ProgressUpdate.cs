namespace A3.Runtime.Progress;

/// <summary>One step of a long operation.</summary>
/// <param name="Stage">What is being done, for example <c>eval</c> or <c>layer 3 qk</c>.</param>
/// <param name="Completed">Units done so far.</param>
/// <param name="Total">Units in all.</param>
/// <param name="Elapsed">Time since the operation started.</param>
public sealed record ProgressUpdate(string Stage, int Completed, int Total, TimeSpan Elapsed)
{
    /// <summary>Gets the estimated time left, extrapolated linearly, or <see langword="null"/> before the first unit.</summary>
    public TimeSpan? EstimatedRemaining =>
        Completed <= 0 || Total <= Completed ? null : Elapsed * ((double)(Total - Completed) / Completed);
}
