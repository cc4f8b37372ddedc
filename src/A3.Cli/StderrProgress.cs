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
    private string? label;

    /// <summary>
    /// Starts a labelled phase (<c>a3 compare</c>'s <c>a3-search at budget 0.20</c>): a note names it, and every progress line
    /// until the next label starts with it, so a line says which of several runs it belongs to.
    /// </summary>
    public void BeginPhase(string phase)
    {
        lock (gate)
        {
            label = phase;
            lastReport = null;
            lastStage = null;
            error.WriteLine($"a3: {phase}");
        }
    }

    /// <inheritdoc />
    public void Report(ProgressUpdate value)
    {
        lock (gate)
        {
            // Only repeats of one stage are thinned out: a new stage (the next layer, or a layer's next half) always shows.
            // A clock that went back belongs to a new operation under the same stage name (the next model's evaluation).
            bool finished = value.Completed >= value.Total;
            if (!finished && value.Stage == lastStage && lastReport is { } last && value.Elapsed >= last && value.Elapsed - last < MinimumInterval)
            {
                return;
            }

            lastReport = value.Elapsed;
            lastStage = value.Stage;
            var eta = value.EstimatedRemaining is { } remaining ? $", ETA {remaining.TotalSeconds:F1}s" : string.Empty;
            var prefix = label is null ? string.Empty : $"{label}: ";
            error.WriteLine($"a3: {prefix}{value.Stage} {value.Completed}/{value.Total} ({value.Elapsed.TotalSeconds:F1}s{eta})");
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
