namespace A3.Compression;

/// <summary>
/// What a recipe compression tells its caller while it runs: a <see cref="CompressionStep"/> of a counted stage,
/// a <see cref="CompressionNote"/> about something that happened once, or a <see cref="CompressionWarning"/>.
/// </summary>
public abstract record CompressionProgress
{
    private protected CompressionProgress()
    {
    }
}
