using System.Buffers.Binary;
using System.Security.Cryptography;

namespace A3.Runtime.Native;

/// <summary>
/// Prepares a copy of <c>libLibTorchSharp.so</c> whose need for <c>GLIBCXX_3.4.32</c> is marked
/// weak, for systems whose libstdc++ stops before that version (Debian 12, Ubuntu 22.04).
/// </summary>
/// <remarks>
/// The only symbol behind that version is <c>std::ios_base_library_init</c>, a marker GCC 13
/// emits for <c>&lt;iostream&gt;</c> that no relocation binds, so a weak need is safe. The NuGet
/// package folder is never modified: the copy goes to our cache, keyed by the original's hash,
/// written to a unique temporary file and renamed into place so concurrent processes never see
/// a partial file.
/// </remarks>
internal static class LibTorchSharpPatcher
{
    /// <summary>The one version need the patch weakens.</summary>
    public const string WeakenedVersion = "GLIBCXX_3.4.32";

    /// <summary>Returns a copy of <paramref name="original"/> with the <see cref="WeakenedVersion"/> need marked weak.</summary>
    public static byte[] Patch(byte[] original, string fileName)
    {
        var need = ElfVersionTable.Parse(original, fileName).Needs
            .FirstOrDefault(n => n.Version == WeakenedVersion);
        if (need.Version is null)
        {
            throw new InvalidDataException($"{fileName}: has no need for {WeakenedVersion}; nothing to patch.");
        }

        var patched = (byte[])original.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(patched.AsSpan((int)need.FlagsOffset), (ushort)(need.Flags | ElfVersionNeed.WeakFlag));
        return patched;
    }

    /// <summary>
    /// Makes sure the patched copy of <paramref name="originalPath"/> exists under
    /// <paramref name="cacheRoot"/> with the expected content, and returns its path.
    /// </summary>
    public static string EnsurePatchedCopy(string originalPath, string cacheRoot)
    {
        var original = File.ReadAllBytes(originalPath);
        var key = Convert.ToHexStringLower(SHA256.HashData(original))[..16];
        var directory = Path.Combine(cacheRoot, "native", $"libtorchsharp-{key}");
        var target = Path.Combine(directory, Path.GetFileName(originalPath));
        var patched = Patch(original, originalPath);
        var expectedHash = SHA256.HashData(patched);

        if (HasContent(target, expectedHash))
        {
            return target;
        }

        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(patched);
                stream.Flush(flushToDisk: true);
            }

            // Every process writes identical bytes, so whichever rename lands last is equally valid;
            // rename(2) is atomic, so a reader sees the old complete file or the new complete file.
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }

        if (!HasContent(target, expectedHash))
        {
            throw new TorchNativeException($"The patched copy {target} does not have the expected content after writing it; delete {directory} and retry.");
        }

        return target;
    }

    private static bool HasContent(string path, byte[] expectedHash)
    {
        try
        {
            return File.Exists(path) && SHA256.HashData(File.ReadAllBytes(path)).AsSpan().SequenceEqual(expectedHash);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
