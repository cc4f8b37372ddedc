using A3.Runtime.Progress;

namespace A3.Compression;

/// <summary>A step of a counted stage: a planned or compressed layer, a batch of evaluated sequences.</summary>
/// <param name="Update">The stage, the units done and in all, and the time so far.</param>
public sealed record CompressionStep(ProgressUpdate Update) : CompressionProgress;
