using System.Diagnostics;
using A3.Runtime.IO;
using A3.Runtime.Native;
using A3.Runtime.Reporting;

namespace A3.Compression.Caching;

/// <summary>
/// A content-addressed store of compressed models: one folder per <see cref="ArtifactKey"/>, each with an
/// <c>a3-manifest.json</c>. Safe to share between processes: each key is built under a lock file, entries are
/// renamed into place complete, and a corrupt entry is never served.
/// </summary>
public sealed class ArtifactCache
{
    /// <summary>The environment variable that moves the default cache folder.</summary>
    public const string Variable = "A3_ARTIFACT_CACHE";

    /// <summary>Initializes a new instance rooted at <paramref name="root"/> (created on the first store).</summary>
    /// <param name="root">The cache folder.</param>
    public ArtifactCache(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>Gets the default cache folder: <c>$A3_ARTIFACT_CACHE</c>, else <c>artifacts</c> under the A3 cache folder.</summary>
    public static string DefaultRoot =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } variable && !string.IsNullOrWhiteSpace(variable)
            ? Path.GetFullPath(variable)
            : Path.Combine(A3CacheDirectory.Root, "artifacts");

    /// <summary>Gets the cache folder.</summary>
    public string Root { get; }

    /// <summary>Gets the entry folder of <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The folder, whether or not it exists.</returns>
    public string EntryPath(string key) => Path.Combine(Root, key);

    /// <summary>Takes the per-key lock, waiting while another process holds it.</summary>
    /// <remarks>
    /// The lock file is never deleted: deleting it would let a waiter lock an unlinked file while a
    /// newcomer locks a fresh one, and both would build.
    /// </remarks>
    internal IDisposable Lock(string key, Action<string> note, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Root);
        var path = Path.Combine(Root, key + ".lock");
        var announced = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                if (!announced)
                {
                    note($"waiting for another run of {key}");
                    announced = true;
                }

                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>Returns the manifest of a sound entry for <paramref name="key"/>; deletes a corrupt one and returns <see langword="null"/>. Call under <see cref="Lock"/>.</summary>
    internal ArtifactManifest? TryGet(string key, Action<string> note)
    {
        var entry = EntryPath(key);
        if (new FileInfo(entry) is { Exists: true } or { LinkTarget: not null })
        {
            // A file (or a link) where the entry folder goes would fail the store only after the whole compression.
            note($"cache entry {key} is a file or a link, not a folder; rebuilding");
            File.Delete(entry);
            return null;
        }

        if (!Directory.Exists(entry))
        {
            return null;
        }

        var manifest = ArtifactManifest.TryRead(Path.Combine(entry, ArtifactManifest.FileName));
        var problem = manifest is null ? $"{ArtifactManifest.FileName} is missing or unreadable"
            : manifest.Key != key ? $"{ArtifactManifest.FileName} is for key {manifest.Key}"
            : ArtifactContents.Problems(manifest, entry).FirstOrDefault();
        if (problem is null)
        {
            return manifest;
        }

        // A corrupt entry is never served: say so, remove it, and let the caller rebuild.
        note($"cache entry {key} is corrupt ({problem}); rebuilding");
        FolderReplacement.DeleteQuietly(entry);
        return null;
    }

    /// <summary>
    /// Builds the entry of <paramref name="key"/>: <paramref name="build"/> writes the model folder (with its report) at a temporary
    /// path and returns the report and the run's facts for the manifest; the manifest is written last and the folder renamed into place.
    /// Call under <see cref="Lock"/>: temporary folders of the same key left by a killed run are then known to be stale and are removed first.
    /// </summary>
    internal ArtifactManifest Store(ArtifactKey key, Func<string, (CompressionReport Report, CompressionRunFacts Run)> build, Action<string> note)
    {
        Directory.CreateDirectory(Root);
        foreach (var stale in Directory.EnumerateDirectories(Root, $".tmp-{key.Value}-*"))
        {
            FolderReplacement.DeleteQuietly(stale);
        }

        var temporary = Path.Combine(Root, $".tmp-{key.Value}-{Guid.NewGuid():N}");
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var (report, run) = build(temporary);
            var manifest = new ArtifactManifest
            {
                Key = key.Value,
                Created = DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                Inputs = key.Inputs.ToList(),
                Outputs = ArtifactContents.Hash(temporary),
                Versions = key.Versions,
                Seconds = stopwatch.Elapsed.TotalSeconds,
                Report = report,
                Run = run,
            };
            manifest.Write(Path.Combine(temporary, ArtifactManifest.FileName));
            var entry = EntryPath(key.Value);
            try
            {
                Directory.Move(temporary, entry);
            }
            catch (IOException) when (Directory.Exists(entry))
            {
                // Another process (without our lock, say on another cache client) finished first. Its entry is served only
                // when it passes the check every entry passes; a corrupt one is removed and ours takes its place.
                if (TryGet(key.Value, note) is { } theirs)
                {
                    return theirs;
                }

                Directory.Move(temporary, entry);
            }

            return manifest;
        }
        finally
        {
            // On success the folder was renamed away; on failure or Ctrl+C this leaves no half entry behind.
            FolderReplacement.DeleteQuietly(temporary);
        }
    }

    /// <summary>
    /// Copies the files <paramref name="manifest"/> lists, and the manifest, from the entry of its key to <paramref name="outputFolder"/>
    /// through a temporary sibling, replacing an existing folder atomically (or putting it back when the new one cannot be renamed in).
    /// Call under <see cref="Lock"/> with a manifest <see cref="TryGet"/> or <see cref="Store"/> returned, so the files are the ones checked.
    /// </summary>
    internal void Materialise(ArtifactManifest manifest, string outputFolder, CancellationToken cancellationToken)
    {
        var entry = EntryPath(manifest.Key);
        var target = ModelFolderDestination.Check(outputFolder);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = FolderReplacement.TemporarySibling(target);
        try
        {
            Directory.CreateDirectory(temporary);
            foreach (var file in manifest.Outputs.Select(output => output.File).Append(ArtifactManifest.FileName))
            {
                cancellationToken.ThrowIfCancellationRequested();
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(temporary, file))!);
                File.Copy(Path.Combine(entry, file), Path.Combine(temporary, file));
            }

            FolderReplacement.Commit(temporary, target);
        }
        finally
        {
            // On success the folder was renamed away; on failure or Ctrl+C this leaves no half copy behind.
            FolderReplacement.DeleteQuietly(temporary);
        }
    }
}
