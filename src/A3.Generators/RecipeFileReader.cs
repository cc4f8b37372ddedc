using System;
using System.Threading;
using A3.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace A3.Generators;

/// <summary>Picks the <c>A3Compress</c> recipes out of a compilation's additional files.</summary>
internal static class RecipeFileReader
{
    /// <summary>Returns the recipe <paramref name="file"/> holds, or <see langword="null"/> when it is not an <c>A3Compress</c> item.</summary>
    /// <param name="file">An additional file.</param>
    /// <param name="options">Its analyzer-config options (item metadata).</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <returns>The recipe file, or <see langword="null"/>.</returns>
    public static RecipeFile? Read(AdditionalText file, AnalyzerConfigOptions options, CancellationToken cancellationToken)
    {
        if (!options.TryGetValue(BuildOptionNames.SourceItemType, out var itemType)
            || !string.Equals(itemType, BuildOptionNames.A3CompressItemType, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var text = file.GetText(cancellationToken)?.ToString();
        return new RecipeFile(file.Path, text, Metadata(options, BuildOptionNames.ClassName), Metadata(options, BuildOptionNames.OutputPath));
    }

    private static string Metadata(AnalyzerConfigOptions options, string key) =>
        options.TryGetValue(key, out var value) ? value.Trim() : string.Empty;
}
