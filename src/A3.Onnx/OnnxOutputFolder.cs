using A3.Runtime;
using A3.Runtime.IO;

namespace A3.Onnx;

/// <summary>
/// Where an export may go, checked before any work as the compression's output guard checks its folder: never the
/// source model or a folder holding or inside it, never a link or the file system's root, and an existing folder only
/// when it is empty or an earlier export. Leftovers of a killed export beside it are recovered first.
/// </summary>
internal static class OnnxOutputFolder
{
    private static readonly StringComparison PathComparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    /// <summary>Checks <paramref name="outputFolder"/> for an export of the model at <paramref name="modelPath"/>.</summary>
    /// <returns>The folder's full path, without a trailing separator.</returns>
    /// <exception cref="InvalidSettingException">The folder may not receive the export; the message says why.</exception>
    public static string Check(string outputFolder, string modelPath)
    {
        var target = ModelFolderDestination.Check(outputFolder);
        if (string.Equals(Path.GetPathRoot(target), target, PathComparison))
        {
            throw Refused("is the root of the file system; name a folder of its own", target);
        }

        if (Directory.Exists(target) && new DirectoryInfo(target).LinkTarget is not null)
        {
            throw Refused("is a link; name the folder itself", target);
        }

        var source = Trimmed(Path.GetFullPath(modelPath));
        if (string.Equals(source, target, PathComparison))
        {
            throw Refused("is the model being exported; name a new folder", target);
        }

        if (Inside(source, target))
        {
            throw Refused($"holds the model being exported ({source}); name a new folder", target);
        }

        if (Directory.Exists(source) && Inside(target, source))
        {
            throw Refused($"lies inside the model folder being exported ({source}); name a folder outside it", target);
        }

        FolderReplacement.RecoverLeftovers(target);
        if (!Directory.Exists(target) || File.Exists(Path.Combine(target, OnnxExporter.ModelFileName)))
        {
            return target;
        }

        // Replacing renames the folder aside; the shell sitting in it would be left in a deleted folder.
        var current = Trimmed(Path.GetFullPath(Directory.GetCurrentDirectory()));
        if (string.Equals(current, target, PathComparison) || Inside(current, target))
        {
            throw Refused($"{(string.Equals(current, target, PathComparison) ? "is" : "holds")} the current folder and is not an ONNX export (no {OnnxExporter.ModelFileName}); name a new folder", target);
        }

        if (Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw Refused($"holds files and is not an ONNX export (no {OnnxExporter.ModelFileName}); name a new or empty folder, or an earlier export", target);
        }

        return target;
    }

    private static InvalidSettingException Refused(string problem, string target) =>
        new(ModelFolderDestination.Setting, problem, filePath: target);

    private static bool Inside(string path, string folder) => path.StartsWith(folder + Path.DirectorySeparatorChar, PathComparison);

    private static string Trimmed(string path) =>
        path.Length > 1 ? path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) : path;
}
