using A3.Compression;
using A3.Recipes;
using A3.Runtime.Progress;

namespace A3.Cli;

/// <summary>
/// Renders progress on stderr: every new stage, and repeats of one stage at most a few lines per second, each with the running ETA (the
/// form the MSBuild task recognises as progress), notes as <c>a3: text</c>, and warnings as diagnostics.
/// </summary>
internal sealed class StderrProgress(TextWriter error, Func<RecipeDiagnostic, string>? renderDiagnostic = null) : IProgress<ProgressUpdate>, IProgress<CompressionProgress>
{
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(500);
    private readonly Lock gate = new();
    private TimeSpan? lastReport;
    private string? lastStage;

    /// <inheritdoc />
    public void Report(ProgressUpdate value)
    {
        lock (gate)
        {
            // Only repeats of one stage are thinned out: a new stage (the next layer, or a layer's next half) always shows.
            bool finished = value.Completed >= value.Total;
            if (!finished && value.Stage == lastStage && lastReport is { } last && value.Elapsed - last < MinimumInterval)
            {
                return;
            }

            lastReport = value.Elapsed;
            lastStage = value.Stage;
            var eta = value.EstimatedRemaining is { } remaining ? $", ETA {remaining.TotalSeconds:F1}s" : string.Empty;
            error.WriteLine($"a3: {value.Stage} {value.Completed}/{value.Total} ({value.Elapsed.TotalSeconds:F1}s{eta})");
        }
    }

    /// <inheritdoc />
    public void Report(CompressionProgress value)
    {
        switch (value)
        {
            case CompressionStep step:
                Report(step.Update);
                break;
            case CompressionNote note:
                lock (gate)
                {
                    error.WriteLine($"a3: {note.Text}");
                }

                break;
            case CompressionWarning warning:
                lock (gate)
                {
                    error.WriteLine(renderDiagnostic?.Invoke(warning.Diagnostic) ?? warning.Diagnostic.ToString());
                }

                break;
        }
    }
}
