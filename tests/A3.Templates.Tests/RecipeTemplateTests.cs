using A3.Recipes;

namespace A3.Templates.Tests;

/// <summary><c>dotnet new a3-recipe</c>: a valid recipe with a budget by default and ratios when given.</summary>
[Collection(TemplatesCollection.Name)]
public sealed class RecipeTemplateTests(TemplatePackage templates)
{
    [Fact]
    public void Defaults_give_a_budget_recipe_named_model()
    {
        var folder = templates.Create("a3-recipe");

        var recipe = Parse(Path.Combine(folder, "model.a3.yaml"));

        Assert.Equal("model", recipe.Name);
        Assert.Equal("models/my-model", recipe.Model);
        Assert.Equal("data/calibration.txt", recipe.Calibration.Data);
        Assert.Equal(0.2, recipe.Compression.Budget);
        Assert.False(recipe.Compression.HasRatios());
    }

    [Fact]
    public void A_budget_is_written_as_given()
    {
        var folder = templates.Create("a3-recipe", "--budget", "0.3");

        var recipe = Parse(Path.Combine(folder, "model.a3.yaml"));

        Assert.Equal(0.3, recipe.Compression.Budget);
        Assert.False(recipe.Compression.HasRatios());
    }

    [Fact]
    public void Ratios_replace_the_budget()
    {
        var folder = templates.Create("a3-recipe", "--qk", "0.1", "--ov", "0.2", "--mlp", "0.3");

        var recipe = Parse(Path.Combine(folder, "model.a3.yaml"));

        Assert.Null(recipe.Compression.Budget);
        Assert.Equal((0.1, 0.2, 0.3), (recipe.Compression.Qk, recipe.Compression.Ov, recipe.Compression.Mlp));
    }

    [Fact]
    public void One_ratio_leaves_the_others_at_zero()
    {
        var folder = templates.Create("a3-recipe", "--mlp", "0.25");

        var recipe = Parse(Path.Combine(folder, "model.a3.yaml"));

        Assert.Null(recipe.Compression.Budget);
        Assert.Equal((0.0, 0.0, 0.25), (recipe.Compression.Qk, recipe.Compression.Ov, recipe.Compression.Mlp));
    }

    [Fact]
    public void Name_paths_and_schema_are_substituted()
    {
        var folder = templates.Create(
            "a3-recipe",
            "--name", "tiny-llama.q4",
            "--model", "../models/TinyLlama",
            "--calibration", "../data/wiki.txt",
            "--schema", "../schemas/a3-recipe.schema.json");
        var path = Path.Combine(folder, "tiny-llama.q4.a3.yaml");

        var recipe = Parse(path);

        Assert.Equal(["tiny-llama.q4.a3.yaml"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Equal("# yaml-language-server: $schema=../schemas/a3-recipe.schema.json", File.ReadLines(path).First());
        Assert.Equal("tiny-llama.q4", recipe.Name);
        Assert.Equal("../models/TinyLlama", recipe.Model);
        Assert.Equal("../data/wiki.txt", recipe.Calibration.Data);
    }

    [Fact]
    public void The_default_schema_line_names_the_schema_beside_the_recipe()
    {
        var folder = templates.Create("a3-recipe");

        Assert.Equal("# yaml-language-server: $schema=a3-recipe.schema.json", File.ReadLines(Path.Combine(folder, "model.a3.yaml")).First());
    }

    [Fact]
    public void The_recipe_says_where_the_schema_file_comes_from()
    {
        var folder = templates.Create("a3-recipe");

        Assert.Contains("`a3 schema > a3-recipe.schema.json` writes it", File.ReadLines(Path.Combine(folder, "model.a3.yaml")).ElementAt(1), StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_ratio_writes_ratios_that_the_recipe_check_refuses()
    {
        var path = Path.Combine(templates.Create("a3-recipe", "--qk", "-0.2"), "model.a3.yaml");

        var diagnostic = Assert.Single(RecipeParser.Parse(File.ReadAllText(path), path, checkFiles: false).Diagnostics);

        Assert.Equal("A3102", diagnostic.Code);
        Assert.Equal("  qk: -0.2", File.ReadLines(path).ElementAt(diagnostic.Line - 1));
    }

    /// <summary>Parses without file checks (the recipe names files that do not exist here) and requires no diagnostics at all.</summary>
    internal static Recipe Parse(string path)
    {
        var result = RecipeParser.Parse(File.ReadAllText(path), path, checkFiles: false);
        Assert.Empty(result.Diagnostics.Select(diagnostic => diagnostic.ToString()));
        return result.Recipe!;
    }
}
