using A3.Runtime;
using A3.Runtime.IO;

namespace A3.Onnx;

/// <summary>
/// Where an export may go, checked before any work: never the source model or a folder holding or inside it, and
/// otherwise the rule every model folder A3 SDK writes follows (<see cref="ModelFolderDestination.CheckReplaceable"/>: an
/// empty folder or an earlier A3 output, such as an earlier export, whose config.json carries the a3 object).
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

        return ModelFolderDestination.CheckReplaceable(target);
    }

    private static InvalidSettingException Refused(string problem, string target) =>
        new(ModelFolderDestination.Setting, problem, filePath: target);

    private static bool Inside(string path, string folder) => path.StartsWith(folder + Path.DirectorySeparatorChar, PathComparison);

    private static string Trimmed(string path) =>
        path.Length > 1 ? path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) : path;
}
