namespace A3.Runtime.Progress;

/// <summary>Passes every update on with a prefix before its stage, so the stages of interleaved work read apart.</summary>
public sealed class PrefixedProgress : IProgress<ProgressUpdate>
{
    private readonly IProgress<ProgressUpdate> inner;
    private readonly string prefix;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="inner">Where the updates go.</param>
    /// <param name="prefix">Put before each stage, with a space.</param>
    public PrefixedProgress(IProgress<ProgressUpdate> inner, string prefix)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(prefix);
        this.inner = inner;
        this.prefix = prefix;
    }

    /// <summary>Returns <paramref name="progress"/> with <paramref name="prefix"/>, or <see langword="null"/> when there is no progress to tell.</summary>
    /// <param name="progress">Where the updates go, if anywhere.</param>
    /// <param name="prefix">Put before each stage.</param>
    /// <returns>The prefixing progress, or <see langword="null"/>.</returns>
    public static IProgress<ProgressUpdate>? For(IProgress<ProgressUpdate>? progress, string prefix) =>
        progress is null ? null : new PrefixedProgress(progress, prefix);

    /// <inheritdoc />
    public void Report(ProgressUpdate value) => inner.Report(value with { Stage = $"{prefix} {value.Stage}" });
}
