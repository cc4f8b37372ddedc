using System;
using System.Collections.Generic;

namespace A3.Recipes;

/// <summary>Finds the known key an unknown one was probably meant to be.</summary>
internal static class KeySuggester
{
    /// <summary>
    /// Returns the nearest of <paramref name="known"/> within edit distance 1, else a key that
    /// <paramref name="unknown"/> abbreviates (or extends), else the nearest within distance 2, else <see langword="null"/>.
    /// </summary>
    public static string? Suggest(string unknown, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        string? prefix = null;
        var lowered = unknown.ToLowerInvariant();
        foreach (var key in known)
        {
            int distance = Distance(lowered, key);
            if (distance < bestDistance)
            {
                best = key;
                bestDistance = distance;
            }

            // Prefixes catch abbreviations ("seq" for "sequence_length") that are too far in edit distance.
            if (prefix is null && lowered.Length >= 2 && (key.StartsWith(lowered, StringComparison.Ordinal) || lowered.StartsWith(key, StringComparison.Ordinal)))
            {
                prefix = key;
            }
        }

        return bestDistance <= 1 ? best : prefix ?? (bestDistance <= 2 ? best : null);
    }

    /// <summary>Returns the Levenshtein distance between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
