using System.Security.Cryptography;
using System.Text;

namespace A3.Compression.Caching;

/// <summary>SHA-256 helpers; files are hashed streaming so multi-gigabyte checkpoints never sit in memory.</summary>
internal static class FileHashing
{
    /// <summary>Returns the lower-hex SHA-256 of a file's bytes.</summary>
    /// <remarks>
    /// Whatever reports no size is hashed as empty without being opened: an empty file hashes the same either way,
    /// while a device or a pipe in a model folder (a stray FIFO, a link to /dev/zero) would be read forever or block
    /// the open. What the model loader reads itself is refused as an input file before that.
    /// </remarks>
    public static string Sha256File(string path)
    {
        var file = File.ResolveLinkTarget(path, returnFinalTarget: true) as FileInfo ?? new FileInfo(path);
        if (file.Exists && file.Length == 0)
        {
            return Convert.ToHexStringLower(SHA256.HashData(ReadOnlySpan<byte>.Empty));
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Returns the lower-hex SHA-256 of a string's UTF-8 bytes.</summary>
    public static string Sha256Text(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
