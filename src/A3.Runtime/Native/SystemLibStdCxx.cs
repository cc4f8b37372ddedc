namespace A3.Runtime.Native;

/// <summary>
/// Finds the libstdc++ the dynamic loader binds in this process and answers which symbol
/// versions it defines.
/// </summary>
internal static class SystemLibStdCxx
{
    private const string SoName = "libstdc++.so.6";

    private static readonly string[] StandardDirectories =
    [
        "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib",
        "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
    ];

    /// <summary>
    /// Returns the path of the libstdc++ this process uses: the one already mapped (the .NET
    /// runtime links it), else the first found on <c>LD_LIBRARY_PATH</c> or the standard directories.
    /// </summary>
    public static string? Locate()
    {
        const string maps = "/proc/self/maps";
        if (File.Exists(maps))
        {
            foreach (var line in File.ReadLines(maps))
            {
                int slash = line.IndexOf('/', StringComparison.Ordinal);
                if (slash >= 0 && Path.GetFileName(line.AsSpan(slash)).StartsWith("libstdc++.so", StringComparison.Ordinal))
                {
                    return line[slash..].Trim();
                }
            }
        }

        var searchPath = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(StandardDirectories);
        return searchPath.Select(dir => Path.Combine(dir, SoName)).FirstOrDefault(File.Exists);
    }

    /// <summary>Returns the symbol versions the given libstdc++ defines.</summary>
    public static IReadOnlySet<string> DefinedVersions(string path) =>
        new HashSet<string>(ElfVersionTable.Read(path).Definitions, StringComparer.Ordinal);
}
