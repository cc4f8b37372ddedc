using System.IO;

namespace A3.Recipes;

/// <summary>Reads a recipe file and parses it.</summary>
public static class RecipeLoader
{
    /// <summary>The largest recipe file read, 1 MiB: a recipe is a page of YAML, and one of gigabytes would be read whole.</summary>
    internal const long MaxFileBytes = 1 << 20;

    /// <summary>Reads and parses the recipe at <paramref name="path"/>; a missing file is a located diagnostic too.</summary>
    /// <param name="path">The recipe file; relative paths inside it resolve against its folder.</param>
    /// <param name="checkFiles">Whether to report model and data files that do not exist.</param>
    /// <returns>The parse result.</returns>
    public static RecipeParseResult Load(string path, bool checkFiles = true)
    {
        if (InputFile.Problem(path) is { } problem)
        {
            return new RecipeParseResult(null, new[] { new RecipeDiagnostic(RecipeErrorCodes.FileNotFound, $"the recipe file {problem}", path, 1, 1) });
        }

        if (!File.Exists(path))
        {
            return new RecipeParseResult(null, new[]
            {
                new RecipeDiagnostic(RecipeErrorCodes.FileNotFound, $"no such recipe file (resolved to {Path.GetFullPath(path)})", path, 1, 1),
            });
        }

        // Opened once and measured through the handle, so a link is measured by its target.
        using var stream = File.OpenRead(path);
        if (stream.Length > MaxFileBytes)
        {
            return new RecipeParseResult(null, new[]
            {
                new RecipeDiagnostic(RecipeErrorCodes.InvalidYaml, $"the recipe file has {stream.Length} bytes, more than the {MaxFileBytes} a recipe may have", path, 1, 1),
            });
        }

        using var reader = new StreamReader(stream);
        return RecipeParser.Parse(reader.ReadToEnd(), path, checkFiles);
    }
}
