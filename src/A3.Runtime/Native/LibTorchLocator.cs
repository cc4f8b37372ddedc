using System.Reflection;

namespace A3.Runtime.Native;

/// <summary>
/// Finds libtorch and libLibTorchSharp: an explicit folder, the application's own copy, or the
/// NuGet global packages folder (tests and <c>dotnet run</c> builds do not copy the 480 MB of
/// natives into every output).
/// </summary>
internal static class LibTorchLocator
{
    /// <summary>Environment variable naming a folder that holds libtorch (and optionally libLibTorchSharp.so).</summary>
    public const string DirectoryVariable = "A3_LIBTORCH_DIR";

    private const string LibTorchCpu = "libtorch_cpu.so";
    private const string LibTorchSharp = "libLibTorchSharp.so";

    /// <summary>Locates libtorch, recording every place looked at when nothing is found.</summary>
    public static LibTorchLocation Locate(List<string> searched)
    {
        var libTorchVersion = Metadata("A3.LibTorchVersion");
        var torchSharpVersion = Metadata("A3.TorchSharpVersion");
        var packageRoots = PackageRoots().ToList();

        var candidates = new List<(string Directory, string Source)>();
        var explicitDirectory = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            candidates.Add((explicitDirectory, DirectoryVariable));
        }

        var baseDirectory = AppContext.BaseDirectory;
        candidates.Add((Path.Combine(baseDirectory, "runtimes", "linux-x64", "native"), "application"));
        candidates.Add((baseDirectory, "application"));
        foreach (var root in packageRoots)
        {
            foreach (var package in new[] { "libtorch-cpu-linux-x64", "libtorch-cuda-12.8-linux-x64", "libtorch-cuda-12.6-linux-x64" })
            {
                candidates.Add((Path.Combine(root, package, libTorchVersion, "runtimes", "linux-x64", "native"), "NuGet cache"));
            }
        }

        foreach (var (directory, source) in candidates)
        {
            searched.Add(directory);
            if (!File.Exists(Path.Combine(directory, LibTorchCpu)))
            {
                continue;
            }

            var sharp = new[] { directory, Path.Combine(baseDirectory, "runtimes", "linux-x64", "native"), baseDirectory }
                .Concat(packageRoots.Select(root => Path.Combine(root, "torchsharp", torchSharpVersion, "runtimes", "linux-x64", "native")))
                .Select(dir => Path.Combine(dir, LibTorchSharp))
                .FirstOrDefault(File.Exists);
            if (sharp is not null)
            {
                return new LibTorchLocation(Path.GetFullPath(directory), Path.GetFullPath(sharp), source);
            }

            searched.Add($"{LibTorchSharp} for {directory} (not found beside it, in the application or in the NuGet cache)");
        }

        throw new TorchNativeException(
            $"libtorch {libTorchVersion} was not found. Looked in: {string.Join(", ", searched)}. " +
            $"Restore the solution (dotnet restore) so the libtorch-cpu-linux-x64 {libTorchVersion} package is in the NuGet cache, " +
            $"or set {DirectoryVariable} to a folder containing {LibTorchCpu}.");
    }

    private static IEnumerable<string> PackageRoots()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            yield return fromEnvironment;
        }

        var fromBuild = Metadata("A3.NuGetPackageRoot");
        if (!string.IsNullOrWhiteSpace(fromBuild))
        {
            yield return fromBuild;
        }

        yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }

    private static string Metadata(string key) =>
        typeof(LibTorchLocator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == key)?.Value ?? string.Empty;
}
