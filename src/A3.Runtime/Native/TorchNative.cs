using System.Runtime.InteropServices;
using TorchSharp;

namespace A3.Runtime.Native;

/// <summary>
/// Makes TorchSharp's native backend load on Linux systems whose libstdc++ is older than the
/// one libLibTorchSharp was built against. Call <see cref="EnsureLoaded"/> before the first
/// use of <c>torch</c>; it is idempotent and thread-safe.
/// </summary>
/// <remarks>
/// libtorch is loaded from exactly one folder (loading two copies aborts libtorch's operator
/// registry), and TorchSharp's <c>[DllImport("LibTorchSharp")]</c> calls are pointed at the
/// library loaded here through a DLL import resolver.
/// </remarks>
public static class TorchNative
{
    private static readonly Lock Gate = new();
    private static readonly string[] PreloadOrder = ["libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so"];
    private static readonly Dictionary<string, IntPtr> Handles = new(StringComparer.Ordinal);
    private static TorchNativeStatus? status;
    private static bool resolverInstalled;

    /// <summary>Gets the status of the last successful <see cref="EnsureLoaded"/>, or <see langword="null"/>.</summary>
    public static TorchNativeStatus? Status => status;

    /// <summary>Loads the native backend (patching it first when the system needs it).</summary>
    /// <exception cref="TorchNativeException">The backend cannot load; the message says what is missing and what to do.</exception>
    public static TorchNativeStatus EnsureLoaded()
    {
        lock (Gate)
        {
            InstallResolver();
            return status ??= Load();
        }
    }

    /// <summary>
    /// Points TorchSharp's <c>[DllImport("LibTorchSharp")]</c> calls at the library this loader
    /// chose. It does not make lazy loading possible: TorchSharp's own start-up probe
    /// (<c>NativeLibrary.TryLoad(name, assembly)</c>) never consults resolvers, which is why
    /// A3.Runtime calls <see cref="EnsureLoaded"/> when it loads. Calling it again does nothing.
    /// </summary>
    internal static void InstallResolver()
    {
        lock (Gate)
        {
            if (resolverInstalled || !OperatingSystem.IsLinux())
            {
                return;
            }

            try
            {
                NativeLibrary.SetDllImportResolver(typeof(torch).Assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // Another component already installed a resolver for TorchSharp; it then owns native
                // resolution, and libraries preloaded by EnsureLoaded still satisfy libLibTorchSharp's needs by soname.
            }

            resolverInstalled = true;
        }
    }

    private static TorchNativeStatus Load()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("A3 SDK's native loader supports Linux x64; on other platforms TorchSharp's own loader is used.");
        }

        var location = LibTorchLocator.Locate([]);
        var (loadPath, patched, libStdCxx) = ChooseLibTorchSharp(location);

        foreach (var name in PreloadOrder)
        {
            var path = Path.Combine(location.LibTorchDirectory, name);
            if (File.Exists(path))
            {
                Handles[name] = LoadOrExplain(path, location);
            }
        }

        Handles["libLibTorchSharp.so"] = LoadOrExplain(loadPath, location);
        return new TorchNativeStatus(location, loadPath, patched, libStdCxx);
    }

    private static (string Path, bool Patched, string? LibStdCxx) ChooseLibTorchSharp(LibTorchLocation location)
    {
        var needs = ElfVersionTable.Read(location.LibTorchSharpPath).Needs
            .Where(need => need.Library == "libstdc++.so.6" && !need.IsWeak)
            .Select(need => need.Version)
            .ToList();
        var libStdCxx = SystemLibStdCxx.Locate();
        if (libStdCxx is null)
        {
            throw new TorchNativeException(
                "No libstdc++.so.6 was found on this system; libtorch needs it. Install it (Debian/Ubuntu: apt-get install libstdc++6).");
        }

        var defined = SystemLibStdCxx.DefinedVersions(libStdCxx);
        var missing = needs.Where(version => !defined.Contains(version)).Distinct().ToList();
        if (missing.Count == 0)
        {
            return (location.LibTorchSharpPath, false, libStdCxx);
        }

        if (missing.SequenceEqual([LibTorchSharpPatcher.WeakenedVersion]))
        {
            return (LibTorchSharpPatcher.EnsurePatchedCopy(location.LibTorchSharpPath, A3CacheDirectory.Root), true, libStdCxx);
        }

        throw new TorchNativeException(
            $"{location.LibTorchSharpPath} needs {string.Join(", ", missing)} from libstdc++, but {libStdCxx} does not define them. " +
            "Only the GLIBCXX_3.4.32 marker can be safely relaxed; install a newer libstdc++ (GCC 13 or later runtime) " +
            $"or point {LibTorchLocator.DirectoryVariable} at a libtorch build for this system.");
    }

    private static IntPtr LoadOrExplain(string path, LibTorchLocation location)
    {
        try
        {
            return NativeLibrary.Load(path);
        }
        catch (DllNotFoundException exception)
        {
            throw new TorchNativeException(
                $"Could not load {path} (libtorch from {location.LibTorchDirectory}, found via {location.Source}): {exception.Message} " +
                "Check that the file is complete (restore again) and that its dependencies are installed (run ldd on it).",
                exception);
        }
    }

    private static IntPtr Resolve(string libraryName, System.Reflection.Assembly assembly, DllImportSearchPath? searchPath)
    {
        var fileName = libraryName.EndsWith(".so", StringComparison.Ordinal) ? libraryName : libraryName + ".so";
        if (!fileName.StartsWith("lib", StringComparison.Ordinal))
        {
            fileName = "lib" + fileName;
        }

        if (fileName != "libLibTorchSharp.so" && !PreloadOrder.Contains(fileName))
        {
            return IntPtr.Zero;
        }

        EnsureLoaded();
        lock (Gate)
        {
            return Handles.TryGetValue(fileName, out var handle) ? handle : IntPtr.Zero;
        }
    }
}
