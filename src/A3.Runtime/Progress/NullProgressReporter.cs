namespace A3.Runtime.Progress;

/// <summary>A reporter that discards updates.</summary>
public sealed class NullProgressReporter : IProgressReporter
{
    /// <summary>Gets the shared instance.</summary>
    public static NullProgressReporter Instance { get; } = new();

    /// <inheritdoc />
    public void Report(ProgressUpdate update)
    {
    }
}
