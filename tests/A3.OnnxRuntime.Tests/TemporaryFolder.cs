namespace A3.OnnxRuntime.Tests;

/// <summary>A folder under the system temp folder, deleted with its content on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    /// <summary>Initializes a new instance.</summary>
    public TemporaryFolder()
    {
        Path = Directory.CreateTempSubdirectory("a3-onnx-tests-").FullName;
    }

    /// <summary>Gets the folder.</summary>
    public string Path { get; }

    /// <summary>Returns the path of <paramref name="name"/> in the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
