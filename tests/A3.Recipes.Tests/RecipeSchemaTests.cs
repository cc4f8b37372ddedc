using NJsonSchema;

namespace A3.Recipes.Tests;

public sealed class RecipeSchemaTests
{
    private static readonly string CheckedInPath = Path.Combine(A3.Tests.Fixtures.RepositoryRoot, "schemas", "a3-recipe.schema.json");

    public static TheoryData<string> RepositoryRecipes()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(A3.Tests.Fixtures.RepositoryRoot, "*.a3.yaml", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git"))
            .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(A3.Tests.Fixtures.RepositoryRoot, path));
        }

        return data;
    }

    [Fact]
    public void CheckedInSchemaIsUpToDate()
    {
        var generated = RecipeSchema.Generate();
        var checkedIn = File.Exists(CheckedInPath) ? File.ReadAllText(CheckedInPath).Replace("\r\n", "\n").TrimEnd('\n') : "(missing)";

        Assert.True(
            generated == checkedIn,
            $"{RecipeSchema.RepositoryPath} is stale: the recipe types changed. Regenerate it from the repository root with: dotnet run --project src/A3.Cli -c Release -- schema > {RecipeSchema.RepositoryPath}");
    }

    [Fact]
    public void SchemaUsesSnakeCaseKeysAndEnumSpellings()
    {
        var schema = RecipeSchema.Generate();

        Assert.Contains("\"sequence_length\"", schema);
        Assert.Contains("\"mlp_selector\"", schema);
        Assert.Contains("\"svd-llm\"", schema);
        Assert.Contains("\"pivoted-cholesky\"", schema);
        Assert.DoesNotContain("base_directory", schema);
        Assert.DoesNotContain("\"first\"", schema);
    }

    [Fact]
    public void RepositoryHasRecipes() => Assert.NotEmpty(RepositoryRecipes());

    [Theory]
    [MemberData(nameof(RepositoryRecipes))]
    public async Task RepositoryRecipeValidatesAgainstTheSchema(string relativePath)
    {
        var schema = await JsonSchema.FromJsonAsync(RecipeSchema.Generate());
        var json = YamlToJson.Convert(File.ReadAllText(Path.Combine(A3.Tests.Fixtures.RepositoryRoot, relativePath)));

        var errors = schema.Validate(json);

        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{relativePath}({e.LineNumber},{e.LinePosition}): {e}")));
    }

    [SkippableTheory]
    [MemberData(nameof(RepositoryRecipes))]
    public void RepositoryRecipeParsesWithoutDiagnostics(string relativePath)
    {
        // The recipes reach the shared fixtures beside the checkout, so their paths are pointed at Fixtures.Root,
        // which A3_FIXTURES may place elsewhere.
        var path = Path.Combine(A3.Tests.Fixtures.RepositoryRoot, relativePath);
        var text = A3.Tests.CheckedInRecipes.ReadWithFixturePaths(path);
        var withoutFiles = RecipeParser.Parse(text, path, checkFiles: false);
        Assert.True(withoutFiles.Diagnostics.Count == 0, string.Join("\n", withoutFiles.Diagnostics));

        // The file checks need the model and data files, which only the shared fixtures hold.
        var recipe = withoutFiles.Recipe!;
        var absent = new[] { recipe.Model, recipe.Calibration.Data, recipe.Evaluation?.Data }
            .OfType<string>()
            .Select(recipe.ResolvePath)
            .Where(file => !File.Exists(file) && !Directory.Exists(file) && file.StartsWith(A3.Tests.Fixtures.Root, StringComparison.Ordinal))
            .ToArray();
        Skip.If(absent.Length > 0, $"fixture {string.Join(", ", absent)} is absent (set A3_FIXTURES to the shared fixtures folder); the recipe parsed without its file checks");
        var result = RecipeParser.Parse(text, path, checkFiles: true);

        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public async Task SchemaRejectsWhatTheParserRejects()
    {
        var schema = await JsonSchema.FromJsonAsync(RecipeSchema.Generate());
        var json = YamlToJson.Convert(TempRecipeFolder.Valid.Replace("  budget: 0.2", "  budget: 1.5\n  methd: a3").Replace("take: 500", "take: \"500\""));

        var errors = Flatten(schema.Validate(json)).Select(e => e.Kind).ToArray();

        Assert.Contains(NJsonSchema.Validation.ValidationErrorKind.NoAdditionalPropertiesAllowed, errors);
        Assert.Contains(NJsonSchema.Validation.ValidationErrorKind.NumberTooBig, errors);
        Assert.Contains(NJsonSchema.Validation.ValidationErrorKind.IntegerExpected, errors);
    }

    // Errors under a multi-type property ("null" or "number") are nested one level down.
    private static IEnumerable<NJsonSchema.Validation.ValidationError> Flatten(IEnumerable<NJsonSchema.Validation.ValidationError> errors) =>
        errors.SelectMany(e => e switch
        {
            NJsonSchema.Validation.MultiTypeValidationError multi => new[] { e }.Concat(Flatten(multi.Errors.Values.SelectMany(v => v))),
            NJsonSchema.Validation.ChildSchemaValidationError child => new[] { e }.Concat(Flatten(child.Errors.Values.SelectMany(v => v))),
            _ => [e],
        });
}
