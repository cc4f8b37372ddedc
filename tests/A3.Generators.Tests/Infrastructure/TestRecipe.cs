using A3.Tests;

namespace A3.Generators.Tests.Infrastructure;

/// <summary>A recipe handed to the generator as an additional file, with the item metadata A3.Sdk.targets would give it.</summary>
/// <param name="Path">The file path.</param>
/// <param name="Text">The YAML.</param>
/// <param name="ItemType">The <c>A3SourceItemType</c> metadata; anything but <c>A3Compress</c> must be ignored.</param>
/// <param name="ClassName">The <c>ClassName</c> metadata.</param>
/// <param name="OutputPath">The <c>OutputPath</c> metadata.</param>
internal sealed record TestRecipe(string Path, string Text, string ItemType = "A3Compress", string ClassName = "", string OutputPath = "")
{
    /// <summary>Gets the sample recipe of the repository.</summary>
    public static TestRecipe Sample { get; } = FromRepository("samples/recipes/stories260k.a3.yaml");

    /// <summary>Gets the recipe with explicit ratios and overrides.</summary>
    public static TestRecipe Ratios { get; } = FromRepository("tests/A3.Generators.Tests/TestRecipes/ratios-overrides.a3.yaml");

    /// <summary>Returns a minimal valid recipe named <paramref name="name"/> at <paramref name="path"/>.</summary>
    public static TestRecipe Minimal(string path, string name) => new(path, $"""
        version: 1
        name: {name}
        model: models/m
        calibration:
          data: data/c.txt
        compression:
          budget: 0.2
        """);

    /// <summary>Gets the metadata as analyzer-config options.</summary>
    public IReadOnlyDictionary<string, string> Options => new Dictionary<string, string>
    {
        ["build_metadata.AdditionalFiles.A3SourceItemType"] = ItemType,
        ["build_metadata.AdditionalFiles.A3ClassName"] = ClassName,
        ["build_metadata.AdditionalFiles.A3OutputPath"] = OutputPath,
    };

    private static TestRecipe FromRepository(string relativePath)
    {
        var path = System.IO.Path.Combine(Fixtures.RepositoryRoot, relativePath);
        return new TestRecipe(path, File.ReadAllText(path));
    }
}
