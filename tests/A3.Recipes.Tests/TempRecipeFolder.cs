namespace A3.Recipes.Tests;

/// <summary>A temporary folder with a stand-in model folder and data file, so file checks pass without fixtures.</summary>
internal sealed class TempRecipeFolder : IDisposable
{
    public TempRecipeFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "a3-recipes-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "models", "tiny"));
        Directory.CreateDirectory(Path.Combine(Root, "data"));
        Directory.CreateDirectory(Path.Combine(Root, "recipes"));
        File.WriteAllText(Path.Combine(Root, "data", "train.txt"), "once upon a time<|endoftext|>the end");
    }

    public string Root { get; }

    /// <summary>Gets a recipe path inside <c>recipes/</c>, so relative paths start with <c>../</c>.</summary>
    public string RecipePath => Path.Combine(Root, "recipes", "test.a3.yaml");

    /// <summary>A valid recipe whose paths are relative to <see cref="RecipePath"/>.</summary>
    public const string Valid = """
        version: 1
        name: tiny
        model: ../models/tiny
        calibration:
          data: ../data/train.txt
          take: 500
        compression:
          budget: 0.2
        """;

    public RecipeParseResult Parse(string yaml) => RecipeParser.Parse(yaml, RecipePath);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
