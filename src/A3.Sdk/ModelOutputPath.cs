using System;
using System.IO;
using System.Linq;
using A3.Recipes;

namespace A3.Sdk;

/// <summary>The folder an <c>A3Compress</c> item's model goes to, relative to the output directory.</summary>
internal static class ModelOutputPath
{
    /// <summary>
    /// Returns <paramref name="metadata"/> with forward slashes and no empty segments, the recipe's
    /// <see cref="Recipe.DefaultOutputPath"/> when it is empty, or <see langword="null"/> when it is rooted or
    /// could leave the output directory ('.' or '..' segments).
    /// </summary>
    public static string? Normalise(string metadata, Recipe recipe)
    {
        var raw = metadata.Trim();
        if (raw.Length == 0)
        {
            return recipe.DefaultOutputPath;
        }

        if (Path.IsPathRooted(raw) || raw[0] is '/' or '\\')
        {
            return null;
        }

        var segments = raw.Replace('\\', '/').Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 0 || segments.Any(s => s is "." or "..") ? null : string.Join("/", segments);
    }
}
