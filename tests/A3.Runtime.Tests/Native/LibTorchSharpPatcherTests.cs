using A3.Runtime.Native;
using TorchSharp;

namespace A3.Runtime.Tests.Native;

public sealed class LibTorchSharpPatcherTests : IDisposable
{
    private readonly string cacheRoot = Path.Combine(Path.GetTempPath(), "a3-patcher-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(cacheRoot))
        {
            Directory.Delete(cacheRoot, recursive: true);
        }
    }

    [Fact]
    public void Patch_marks_only_the_GLIBCXX_3_4_32_need_weak_and_changes_nothing_else()
    {
        var original = File.ReadAllBytes(LibTorchLocator.Locate([]).LibTorchSharpPath);
        var patched = LibTorchSharpPatcher.Patch(original, "libLibTorchSharp.so");

        var before = ElfVersionTable.Parse(original, "original").Needs;
        var after = ElfVersionTable.Parse(patched, "patched").Needs;
        Assert.Equal(before.Count, after.Count);
        foreach (var (was, now) in before.Zip(after))
        {
            Assert.Equal(was.Version, now.Version);
            Assert.Equal(was.Version == LibTorchSharpPatcher.WeakenedVersion, now.IsWeak && !was.IsWeak);
        }

        var differingBytes = Enumerable.Range(0, original.Length).Count(i => original[i] != patched[i]);
        Assert.Equal(1, differingBytes);
    }

    [Fact]
    public void EnsurePatchedCopy_is_idempotent_and_never_touches_the_original()
    {
        var source = LibTorchLocator.Locate([]).LibTorchSharpPath;
        var originalBytes = File.ReadAllBytes(source);

        var first = LibTorchSharpPatcher.EnsurePatchedCopy(source, cacheRoot);
        var firstWrite = File.GetLastWriteTimeUtc(first);
        var second = LibTorchSharpPatcher.EnsurePatchedCopy(source, cacheRoot);

        Assert.Equal(first, second);
        Assert.Equal(firstWrite, File.GetLastWriteTimeUtc(second));
        Assert.StartsWith(cacheRoot, first, StringComparison.Ordinal);
        Assert.Equal(originalBytes, File.ReadAllBytes(source));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(first)!, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void EnsurePatchedCopy_replaces_a_corrupted_cached_copy()
    {
        var source = LibTorchLocator.Locate([]).LibTorchSharpPath;
        var path = LibTorchSharpPatcher.EnsurePatchedCopy(source, cacheRoot);
        File.WriteAllBytes(path, [1, 2, 3]);

        var repaired = LibTorchSharpPatcher.EnsurePatchedCopy(source, cacheRoot);

        Assert.Equal(LibTorchSharpPatcher.Patch(File.ReadAllBytes(source), "x"), File.ReadAllBytes(repaired));
    }

    [Fact]
    public void ElfVersionTable_rejects_truncated_files_cleanly()
    {
        var original = File.ReadAllBytes(LibTorchLocator.Locate([]).LibTorchSharpPath);
        foreach (var length in new[] { 0, 3, 63, 64, 4096, original.Length / 2 })
        {
            Assert.Throws<InvalidDataException>(() => ElfVersionTable.Parse(original.AsSpan(0, length), "truncated"));
        }
    }

    [Fact]
    public void System_libstdcxx_is_found_and_defines_the_baseline_versions()
    {
        var path = SystemLibStdCxx.Locate();
        Assert.NotNull(path);
        Assert.Contains("GLIBCXX_3.4.29", SystemLibStdCxx.DefinedVersions(path!));
    }

    [Fact]
    public void TorchNative_loads_and_runs_libtorch()
    {
        var status = TorchNative.EnsureLoaded();
        var defines32 = SystemLibStdCxx.DefinedVersions(status.LibStdCxxPath!).Contains(LibTorchSharpPatcher.WeakenedVersion);

        Assert.Equal(!defines32, status.Patched);
        // Explicit, disposed Scalars, the step included (the shorter overloads convert a default 1
        // implicitly): TorchSharp frees implicit ones in the finalizer, which can run while the native
        // call still reads them.
        using var start = 0.ToScalar();
        using var stop = 6.ToScalar();
        using var step = 1.ToScalar();
        using var a = TorchSharp.torch.arange(start, stop, step, dtype: TorchSharp.torch.float64).reshape(2, 3);
        using var product = a.matmul(a.T);
        Assert.Equal(50.0, product[1, 1].item<double>());
    }
}
