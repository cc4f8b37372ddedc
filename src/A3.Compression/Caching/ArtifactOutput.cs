namespace A3.Compression.Caching;

/// <summary>One file of a cache entry and the hash it had when the entry was stored.</summary>
/// <param name="File">The path relative to the entry folder, with forward slashes.</param>
/// <param name="Sha256">The lower-hex SHA-256 of its bytes.</param>
internal sealed record ArtifactOutput(string File, string Sha256);
