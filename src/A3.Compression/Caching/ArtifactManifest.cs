using System.Text.Json;
using A3.Runtime.IO;
using A3.Runtime.Reporting;

namespace A3.Compression.Caching;

/// <summary>The <c>a3-manifest.json</c> of a cache entry and of every folder materialised from one.</summary>
internal sealed class ArtifactManifest
{
    /// <summary>The manifest's file name.</summary>
    public const string FileName = ModelFolderDestination.ManifestFileName;

    /// <summary>Gets or sets the artifact key.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>Gets or sets when the entry was stored (UTC, ISO 8601).</summary>
    public string Created { get; set; } = string.Empty;

    /// <summary>Gets or sets the hashed inputs.</summary>
    public List<ArtifactInput> Inputs { get; set; } = [];

    /// <summary>Gets or sets the entry's files (all but the manifest) and their hashes: exactly what the entry serves (<see cref="ArtifactContents"/>).</summary>
    public List<ArtifactOutput> Outputs { get; set; } = [];

    /// <summary>Gets or sets the tool versions and device type.</summary>
    public ArtifactVersions? Versions { get; set; }

    /// <summary>Gets or sets the seconds the build took.</summary>
    public double Seconds { get; set; }

    /// <summary>Gets or sets the content of <c>a3-report.json</c>.</summary>
    public CompressionReport? Report { get; set; }

    /// <summary>Gets or sets the facts of the run that built the entry (per-layer seconds, statistics reuse), which are not outputs because they differ between runs.</summary>
    public CompressionRunFacts? Run { get; set; }

    /// <summary>Reads a manifest, or returns <see langword="null"/> when it is missing or unreadable.</summary>
    public static ArtifactManifest? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), ManifestJsonContext.Default.ArtifactManifest) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the manifest through a temporary file, so a reader never sees half of it.</summary>
    public void Write(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(this, ManifestJsonContext.Default.ArtifactManifest));
        File.Move(temporary, path, overwrite: true);
    }
}
