using A3.Onnx;
using A3.Tests;

namespace A3.OnnxRuntime.Tests;

/// <summary>
/// The fixture's <c>hf/stories260K-llama</c> exported to ONNX by <see cref="OnnxExporter"/> into a temporary folder, once
/// per test run (shared by the <see cref="ExportedStoriesCollection"/>), deleted on dispose. Tests skip only when the
/// fixture model is absent.
/// </summary>
public sealed class ExportedStories : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-onnx-stories-").FullName;
    private readonly Lazy<string> folder;

    /// <summary>Initializes a new instance; the export runs on the first <see cref="Require"/>.</summary>
    public ExportedStories()
    {
        folder = new Lazy<string>(() => OnnxExporter.Export(Fixtures.Require("hf/stories260K-llama"), Path.Combine(scratch, "onnx")).OutputFolder);
    }

    /// <summary>Returns the exported folder, exporting on first use; skips the calling test with a clear message when the fixture model is absent.</summary>
    public string Require()
    {
        Fixtures.Require("hf/stories260K-llama");
        return folder.Value;
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(scratch, recursive: true);
}
