namespace A3.Runtime.Native;

/// <summary>Resolves the per-user cache folder of A3 SDK.</summary>
/// <remarks>
/// Order: <c>A3_CACHE_DIR</c>, then <c>$XDG_CACHE_HOME/a3</c>, then <c>~/.cache/a3</c> (the XDG
/// base-directory convention), or the local application data folder on other platforms.
/// </remarks>
public static class A3CacheDirectory
{
    /// <summary>Environment variable overriding the cache folder.</summary>
    public const string Variable = "A3_CACHE_DIR";

    /// <summary>Gets the root cache folder (not created).</summary>
    public static string Root
    {
        get
        {
            var explicitRoot = Environment.GetEnvironmentVariable(Variable);
            if (!string.IsNullOrWhiteSpace(explicitRoot))
            {
                return Path.GetFullPath(explicitRoot);
            }

            if (!OperatingSystem.IsWindows())
            {
                var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                var baseDirectory = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)
                    ? xdg
                    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
                return Path.Combine(baseDirectory, "a3");
            }

            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "a3");
        }
    }
}
