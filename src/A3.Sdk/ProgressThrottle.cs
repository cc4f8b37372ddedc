namespace A3.Sdk;

/// <summary>
/// Chooses which of the compressor's progress lines the build log shows at default verbosity (high importance): every new
/// stage (each layer's statistics, solve and result, the plan, the evaluation), the last line of a stage, and within one
/// stage a line every <see cref="IntervalSeconds"/>; the rest go to the log at normal importance.
/// </summary>
/// <remarks>
/// The compressor already thins repeats to two a second for a terminal; a build log keeps every line it is given, so it gets
/// fewer. Time is the compressor's own elapsed time from the line, so the choice depends on the lines alone.
/// </remarks>
internal sealed class ProgressThrottle
{
    /// <summary>The longest a running stage goes without a line in the build log, in seconds of the compressor's clock.</summary>
    public const double IntervalSeconds = 10;

    private string? lastKey;
    private double lastSeconds;

    /// <summary>Returns whether <paramref name="progress"/> is shown at default verbosity, and counts it as shown when it is.</summary>
    public bool Shows(CompressorProgress progress)
    {
        var key = StageKey(progress.Stage);

        // A clock that went back is a new operation (the evaluation after the layers) even under the same stage name.
        bool shows = key != lastKey
            || progress.Completed >= progress.Total
            || progress.ElapsedSeconds < lastSeconds
            || progress.ElapsedSeconds - lastSeconds >= IntervalSeconds;
        if (shows)
        {
            lastKey = key;
            lastSeconds = progress.ElapsedSeconds;
        }

        return shows;
    }

    // "compress layer 3 (qk 6/8 err …)" and "plan: search (KL 0.12)" carry changing details in parentheses; the stage is what precedes them.
    private static string StageKey(string stage)
    {
        var details = stage.IndexOf(" (", System.StringComparison.Ordinal);
        return details < 0 ? stage : stage.Substring(0, details);
    }
}
