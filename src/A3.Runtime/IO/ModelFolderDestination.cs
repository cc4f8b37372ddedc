using System.Text.Json;
using A3.Runtime.Reporting;

namespace A3.Runtime.IO;

/// <summary>
/// Where a model folder may be written. Kept apart from <see cref="ModelFolderWriter"/>, which needs TorchSharp, so a
/// caller can refuse a bad destination before a long job starts without loading libtorch.
/// </summary>
/// <remarks>
/// Writing replaces the destination wholesale, so <see cref="CheckReplaceable"/> lets it replace only an empty folder or
/// one A3 SDK wrote: every writer of model folders (compression, synthesis, export) asks it before any work.
/// </remarks>
public static class ModelFolderDestination
{
    /// <summary>The setting the destination comes from, named in <see cref="InvalidSettingException"/>; callers set it, recipes do not.</summary>
    public const string Setting = "output";

    /// <summary>The file name of the artifact manifest a cached compression output carries.</summary>
    public const string ManifestFileName = "a3-manifest.json";

    private static readonly StringComparison PathComparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    /// <summary>
    /// Refuses <paramref name="target"/> when writing it would replace <paramref name="path"/>, something the writer reads or
    /// keeps: when it is that path or holds it, and, when <paramref name="insideReason"/> is given, when it lies inside it.
    /// The one overlap rule of the compression's output guard (model, data, recipe, caches) and of the export (its model).
    /// </summary>
    /// <param name="target">The destination's full path, as <see cref="Check"/> returns it.</param>
    /// <param name="role">What <paramref name="path"/> is, for the message (<c>the recipe's model</c>).</param>
    /// <param name="path">The path to keep.</param>
    /// <param name="insideReason">Why nothing may be written inside <paramref name="path"/>; <see langword="null"/> allows it.</param>
    /// <exception cref="InvalidSettingException">The destination overlaps <paramref name="path"/>.</exception>
    internal static void RefuseOverlap(string target, string role, string path, string? insideReason)
    {
        var kept = Trimmed(Path.GetFullPath(path));
        if (string.Equals(kept, target, PathComparison))
        {
            throw Refused($"is {role}, which the run must not replace", target);
        }

        if (Inside(kept, target))
        {
            throw Refused($"holds {role} ({kept}), which the run must not replace", target);
        }

        if (insideReason is not null && Inside(target, kept))
        {
            throw Refused($"lies inside {role} ({kept}), {insideReason}", target);
        }
    }

    /// <summary>Checks that <paramref name="folder"/> can receive a model folder: it must not be an existing file.</summary>
    /// <param name="folder">The model folder to create or replace.</param>
    /// <returns>Its full path, without a trailing separator.</returns>
    /// <exception cref="InvalidSettingException">The path names an existing file.</exception>
    public static string Check(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var target = Trimmed(Path.GetFullPath(folder));
        if (File.Exists(target))
        {
            throw new InvalidSettingException(Setting, "is an existing file, not a folder", filePath: target);
        }

        return target;
    }

    /// <summary>
    /// Checks that writing a model to <paramref name="folder"/> destroys nothing of the user's, after recovering what a killed
    /// write left beside it (a previous folder left aside goes back into place first). Allowed: a missing or empty folder,
    /// or one A3 SDK wrote (<see cref="IsA3Output"/>). Refused: a file, the root of the file system, a link, the current
    /// folder (or one holding it) unless A3 SDK wrote it, and any other folder that holds files.
    /// </summary>
    /// <param name="folder">The model folder to create or replace.</param>
    /// <returns>Its full path, without a trailing separator.</returns>
    /// <exception cref="InvalidSettingException">The folder may not be replaced; the message says why.</exception>
    public static string CheckReplaceable(string folder)
    {
        var target = Check(folder);
        if (string.Equals(Path.GetPathRoot(target), target, PathComparison))
        {
            throw Refused("is the root of the file system; name a folder of its own", target);
        }

        if (new DirectoryInfo(target).LinkTarget is not null)
        {
            throw Refused("is a link; name the folder itself", target);
        }

        FolderReplacement.RecoverLeftovers(target);
        if (!Directory.Exists(target) || IsA3Output(target))
        {
            return target;
        }

        var notOutput = $"is not an A3 output (no {CompressionReportFile.FileName}, {ManifestFileName} or config.json with an \"a3\" object)";
        var current = Trimmed(Path.GetFullPath(Directory.GetCurrentDirectory()));
        var holdsCurrent = Inside(current, target);
        if (string.Equals(current, target, PathComparison) || holdsCurrent)
        {
            throw Refused($"{(holdsCurrent ? "holds" : "is")} the current folder and {notOutput}; name a new folder", target);
        }

        if (Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw Refused($"holds files and {notOutput}; name a new or empty folder, or an earlier output", target);
        }

        return target;
    }

    /// <summary>
    /// Whether A3 SDK wrote <paramref name="folder"/>: it holds the compression report, the artifact manifest, or a
    /// <c>config.json</c> carrying the <c>a3</c> object every model folder A3 SDK writes has (docs/FORMAT.md section 4).
    /// </summary>
    /// <param name="folder">An existing folder.</param>
    /// <returns><see langword="true"/> when A3 SDK wrote it.</returns>
    public static bool IsA3Output(string folder) =>
        File.Exists(Path.Combine(folder, CompressionReportFile.FileName))
        || File.Exists(Path.Combine(folder, ManifestFileName))
        || ConfigHasA3Object(Path.Combine(folder, ModelFolderWriter.ConfigFileName));

    private static bool ConfigHasA3Object(string config)
    {
        if (!File.Exists(config) || new FileInfo(config).Length > 16 << 20)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(config));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("a3", out var a3)
                && a3.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static InvalidSettingException Refused(string problem, string target) => new(Setting, problem, filePath: target);

    /// <summary>Whether <paramref name="path"/> lies below <paramref name="folder"/>.</summary>
    private static bool Inside(string path, string folder) => path.StartsWith(folder + Path.DirectorySeparatorChar, PathComparison);

    private static string Trimmed(string path) =>
        path.Length > Path.GetPathRoot(path)!.Length ? path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) : path;
}
