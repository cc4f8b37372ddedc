using System.IO;

namespace A3.Recipes;

/// <summary>Reads a recipe file and parses it.</summary>
public static class RecipeLoader
{
    /// <summary>Reads and parses the recipe at <paramref name="path"/>; a missing file is a located diagnostic too.</summary>
    /// <param name="path">The recipe file; relative paths inside it resolve against its folder.</param>
    /// <param name="checkFiles">Whether to report model and data files that do not exist.</param>
    /// <returns>The parse result.</returns>
    public static RecipeParseResult Load(string path, bool checkFiles = true)
    {
        if (!File.Exists(path))
        {
            return new RecipeParseResult(null, new[]
            {
                new RecipeDiagnostic(RecipeErrorCodes.FileNotFound, $"no such recipe file (resolved to {Path.GetFullPath(path)})", path, 1, 1),
            });
        }

        return RecipeParser.Parse(File.ReadAllText(path), path, checkFiles);
    }
}
