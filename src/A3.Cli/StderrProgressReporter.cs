using A3.Runtime.Progress;

namespace A3.Cli;

/// <summary>Renders progress on stderr, at most a few lines per second, each with the running ETA.</summary>
internal sealed class StderrProgressReporter(TextWriter error) : IProgressReporter
{
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(500);
    private readonly Lock gate = new();
    private TimeSpan? lastReport;

    /// <inheritdoc />
    public void Report(ProgressUpdate update)
    {
        lock (gate)
        {
            bool finished = update.Completed >= update.Total;
            if (!finished && lastReport is { } last && update.Elapsed - last < MinimumInterval)
            {
                return;
            }

            lastReport = update.Elapsed;
            var eta = update.EstimatedRemaining is { } remaining ? $", ETA {remaining.TotalSeconds:F1}s" : string.Empty;
            error.WriteLine($"a3: {update.Stage} {update.Completed}/{update.Total} ({update.Elapsed.TotalSeconds:F1}s{eta})");
        }
    }
}
