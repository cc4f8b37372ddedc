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
    /// <summary>Checks <paramref name="outputFolder"/> for an export of the model at <paramref name="modelPath"/>.</summary>
    /// <returns>The folder's full path, without a trailing separator.</returns>
    /// <exception cref="InvalidSettingException">The folder may not receive the export; the message says why.</exception>
    public static string Check(string outputFolder, string modelPath)
    {
        var target = ModelFolderDestination.Check(outputFolder);
        ModelFolderDestination.RefuseOverlap(target, "the model being exported", modelPath, "which the export must not write into");
        return ModelFolderDestination.CheckReplaceable(target);
    }
}
