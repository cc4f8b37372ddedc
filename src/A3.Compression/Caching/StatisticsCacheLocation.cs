using A3.Runtime.Native;

namespace A3.Compression.Caching;

/// <summary>Where <c>a3 compress RECIPE</c> keeps layer statistics between runs.</summary>
public static class StatisticsCacheLocation
{
    /// <summary>Environment variable overriding the statistics cache folder.</summary>
    public const string Variable = "A3_STATS_CACHE";

    /// <summary>Resolves the folder: <c>--stats-cache</c>, then <c>A3_STATS_CACHE</c>, then <c>statistics</c> under the A3 cache folder.</summary>
    public static string ResolveRoot(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return Path.GetFullPath(option);
        }

        var variable = Environment.GetEnvironmentVariable(Variable);
        return !string.IsNullOrWhiteSpace(variable) ? Path.GetFullPath(variable) : Path.Combine(A3CacheDirectory.Root, "statistics");
    }
}
