using System.Reflection;

namespace A3.Tests;

/// <summary>Locates the shared real-model fixtures (<c>../shared/fixtures</c> beside the repository).</summary>
internal static class Fixtures
{
    /// <summary>Gets the repository root this test assembly was built from.</summary>
    public static string RepositoryRoot { get; } =
        typeof(Fixtures).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "A3.RepositoryRoot").Value!;

    /// <summary>Gets the fixtures folder: <c>A3_FIXTURES</c> when set, else <c>../shared/fixtures</c>.</summary>
    public static string Root { get; } =
        Environment.GetEnvironmentVariable("A3_FIXTURES") is { Length: > 0 } overridden
            ? overridden
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "fixtures"));

    /// <summary>Returns the full path of a fixture, skipping the calling test with a clear message when it is absent.</summary>
    public static string Require(string relativePath)
    {
        var path = Path.Combine(Root, relativePath);
        Skip.IfNot(File.Exists(path) || Directory.Exists(path), $"fixture {path} is absent (set A3_FIXTURES to the shared fixtures folder)");
        return path;
    }
}
