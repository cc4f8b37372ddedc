using System.IO.Compression;
using System.Reflection;
using A3.Tests;

namespace A3.Sdk.Tests.Infrastructure;

/// <summary>
/// Packs the repository's packages once per test run into a temporary local feed, with a version no earlier
/// run used (so the NuGet global packages folder never serves a stale copy), and removes that version from
/// the global packages folder again afterwards. Packing uses the build this test run already made
/// (<c>--no-build</c>): the test project references <c>A3.Sdk</c>, which builds everything packed.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    /// <summary>
    /// The projects packed, relative to the repository root; add one to make its package available to tests,
    /// and with it every A3 package it depends on (A3.Compression depends on A3.Runtime, A3.Onnx and A3.Recipes,
    /// A3.Onnx on A3.Runtime, A3.Runtime and A3.OnnxRuntime on A3.Tokenizers, A3.Tokenizers on A3.Recipes).
    /// </summary>
    internal static readonly string[] PackedProjects =
    [
        "src/A3.Sdk/A3.Sdk.csproj",
        "src/A3.Compression/A3.Compression.csproj",
        "src/A3.Onnx/A3.Onnx.csproj",
        "src/A3.Runtime/A3.Runtime.csproj",
        "src/A3.OnnxRuntime/A3.OnnxRuntime.csproj",
        "src/A3.Tokenizers/A3.Tokenizers.csproj",
        "src/A3.Recipes/A3.Recipes.csproj",
        "templates/A3.Templates.csproj",
    ];

    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);
    private readonly Lock extractLock = new();

    /// <summary>Packs every project of <see cref="PackedProjects"/>.</summary>
    public PackageFeed()
    {
        Version = $"{Metadata("A3.Version")}-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        Root = Directory.CreateTempSubdirectory("a3-sdk-tests-").FullName;
        FeedDirectory = Path.Combine(Root, "feed");
        foreach (var project in PackedProjects)
        {
            using var pack = DotNetProcess.Start(
                Fixtures.RepositoryRoot,
                new Dictionary<string, string>(),
                ["pack", project, "-c", Metadata("A3.Configuration"), "--no-build", "-o", FeedDirectory, $"-p:Version={Version}", "-nodeReuse:false", "-tl:off"]);
            pack.WaitForExit(PackTimeout).EnsureSuccess();
        }
    }

    /// <summary>Gets the version every package was packed with.</summary>
    internal string Version { get; }

    /// <summary>Gets the feed folder.</summary>
    internal string FeedDirectory { get; }

    /// <summary>Gets the temporary folder holding the feed and the test projects.</summary>
    internal string Root { get; }

    /// <summary>Gets the path of the package <paramref name="id"/> in the feed.</summary>
    internal string PackagePath(string id) => Path.Combine(FeedDirectory, $"{id}.{Version}.nupkg");

    /// <summary>
    /// Extracts the package <paramref name="id"/> (once per run) and returns the folder, so a test can run what
    /// the package ships (the a3 compressor in A3.Sdk's tools/) exactly as packed, without a project restoring it.
    /// </summary>
    internal string ExtractPackage(string id)
    {
        var folder = Path.Combine(Root, "extracted", id);
        lock (extractLock)
        {
            if (!Directory.Exists(folder))
            {
                // Into a sibling first: a half-extracted folder must never pass for a whole one.
                var partial = folder + ".partial";
                DeleteQuietly(partial);
                ZipFile.ExtractToDirectory(PackagePath(id), partial);
                Directory.Move(partial, folder);
            }
        }

        return folder;
    }

    /// <summary>Creates an empty project folder named <paramref name="name"/> that restores from this feed.</summary>
    internal ConsumerProject CreateProject(string name) => new(this, Path.Combine(Root, "projects", name));

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var project in PackedProjects)
        {
            var id = Path.GetFileNameWithoutExtension(project).ToLowerInvariant();
            DeleteQuietly(Path.Combine(GlobalPackagesFolder(), id, Version.ToLowerInvariant()));
        }

        DeleteQuietly(Root);
    }

    /// <summary>Returns the NuGet global packages folder this machine restores into.</summary>
    internal static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string Metadata(string key) =>
        typeof(PackageFeed).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless; the next run uses another version.
        }
    }
}
