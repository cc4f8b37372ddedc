using System.Security.Cryptography;
using System.Text;

namespace A3.Compression.Caching;

/// <summary>SHA-256 helpers; files are hashed streaming so multi-gigabyte checkpoints never sit in memory.</summary>
internal static class FileHashing
{
    /// <summary>Returns the lower-hex SHA-256 of a file's bytes.</summary>
    public static string Sha256File(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Returns the lower-hex SHA-256 of a string's UTF-8 bytes.</summary>
    public static string Sha256Text(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
