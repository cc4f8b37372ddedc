using A3.Tests;

namespace A3.OnnxRuntime.Tests;

/// <summary>
/// Finds stories260K exported to ONNX by <c>a3 export</c>: the folder <c>A3_ONNX_STORIES260K</c> names, else
/// <c>onnx/stories260K-llama</c> under the fixtures. The exporter is built on another branch; until its output is
/// there, the tests that need it skip and say so.
/// </summary>
internal static class ExportedStories
{
    /// <summary>The environment variable that names an exported stories260K folder.</summary>
    public const string EnvironmentVariable = "A3_ONNX_STORIES260K";

    /// <summary>Returns the exported folder, skipping the calling test with a clear message when there is none.</summary>
    public static string Require()
    {
        var folder = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } named
            ? named
            : Path.Combine(Fixtures.Root, "onnx", "stories260K-llama");
        Skip.IfNot(
            File.Exists(Path.Combine(folder, "model.onnx")),
            $"no exported stories260K at {folder}: export hf/stories260K-llama with a3 export and set {EnvironmentVariable} to the output folder");
        return folder;
    }
}
