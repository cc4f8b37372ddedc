namespace A3.Compression;

/// <summary>Something that happened once: the pre-flight's summary, a cache hit or miss, reused statistics, a corrupt cache entry replaced.</summary>
/// <param name="Text">One line, for people.</param>
public sealed record CompressionNote(string Text) : CompressionProgress;
