namespace A3.Runtime.Progress;

/// <summary>
/// Receives progress of long operations. The CLI renders it on stderr; the MSBuild task forwards
/// it to the build log. Implementations must be cheap and thread-safe.
/// </summary>
public interface IProgressReporter
{
    /// <summary>Reports that <paramref name="update"/>'s stage advanced.</summary>
    void Report(ProgressUpdate update);
}
