namespace A3.Compression.Caching;

/// <summary>One input of an artifact key: its role (for example <c>model/config.json</c>), where it was read and its hash.</summary>
/// <param name="Role">What the input is; roles, not paths, enter the key, so moving inputs keeps the key.</param>
/// <param name="Path">The full path it was read from (informational only).</param>
/// <param name="Sha256">The lower-hex SHA-256 of its bytes.</param>
internal sealed record ArtifactInput(string Role, string Path, string Sha256);
