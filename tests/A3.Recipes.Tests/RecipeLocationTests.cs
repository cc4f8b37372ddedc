namespace A3.Recipes.Tests;

/// <summary><see cref="Recipe.CreateDiagnostic"/>: problems found after parsing point at the value that fixes them.</summary>
public sealed class RecipeLocationTests : IDisposable
{
    private readonly TempRecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_written_value_is_located_at_its_start()
    {
        var recipe = Parse(TempRecipeFolder.Valid.Replace("  take: 500", "  take: 500\n  sequence_length:   64", StringComparison.Ordinal));

        var diagnostic = recipe.CreateDiagnostic("A3020", "calibration.sequence_length", "too short");

        Assert.Equal($"{folder.RecipePath}(7,22): error A3020: too short", diagnostic.ToString());
        Assert.Equal("calibration.sequence_length", diagnostic.Key);
    }

    [Fact]
    public void A_default_value_is_located_at_the_section_that_would_hold_it()
    {
        var recipe = Parse(TempRecipeFolder.Valid);

        var diagnostic = recipe.CreateDiagnostic("A3020", "calibration.sequence_length", "too short", RecipeSeverity.Warning);

        Assert.Equal((5, 3), (diagnostic.Line, diagnostic.Column));
        Assert.Equal(RecipeSeverity.Warning, diagnostic.Severity);
    }

    [Fact]
    public void List_items_are_located_by_index()
    {
        var recipe = Parse(TempRecipeFolder.Valid.Replace("  budget: 0.2", "  qk: 0.1\n  overrides:\n    - layers: 0-1\n      qk: 0.2\n    - layers: 7-9\n      qk: 0.3", StringComparison.Ordinal));

        var diagnostic = recipe.CreateDiagnostic("A3001", "compression.overrides[1].layers", "outside the model");

        Assert.Equal((12, 15), (diagnostic.Line, diagnostic.Column));
        Assert.Equal("compression.overrides[1].layers", diagnostic.Key);
    }

    [Fact]
    public void A_recipe_built_in_memory_gives_unlocated_diagnostics_that_name_the_key()
    {
        var recipe = new Recipe { Name = "tiny" };

        var diagnostic = recipe.CreateDiagnostic("A3020", RecipeKeys.CalibrationSequenceLength, "too short", RecipeSeverity.Warning);

        Assert.Equal((string.Empty, 0, 0, "calibration.sequence_length", RecipeSeverity.Warning), (diagnostic.File, diagnostic.Line, diagnostic.Column, diagnostic.Key, diagnostic.Severity));
        Assert.Equal("warning A3020: too short", diagnostic.ToString());
    }

    [Fact]
    public void Diagnostics_print_in_the_canonical_form_their_location_allows()
    {
        Assert.Equal("r.a3.yaml(4,2): error A3103: m", new RecipeDiagnostic("A3103", "m", "r.a3.yaml", 4, 2).ToString());
        Assert.Equal("r.a3.yaml(4): error A3103: m", new RecipeDiagnostic("A3103", "m", "r.a3.yaml", 4, 0).ToString());
        Assert.Equal("r.a3.yaml: warning A3103: m", new RecipeDiagnostic("A3103", "m", "r.a3.yaml", 0, 0, RecipeSeverity.Warning).ToString());
        Assert.Equal("error A3103: m", new RecipeDiagnostic("A3103", "m", string.Empty, 0, 0).ToString());
        Assert.Equal(string.Empty, new RecipeDiagnostic("A3103", "m", "r.a3.yaml", 4, 2).Key);
        Assert.Equal(RecipeKeys.Name, new RecipeDiagnostic("A3103", "m", "r.a3.yaml", 4, 2, RecipeSeverity.Error, RecipeKeys.Name).Key);
    }

    private Recipe Parse(string yaml)
    {
        var result = RecipeParser.Parse(yaml, folder.RecipePath, checkFiles: false);
        Assert.Empty(result.Errors);
        return result.Recipe!;
    }
}
