using A3.Generators.Tests.Infrastructure;
using A3.Recipes;
using Microsoft.CodeAnalysis;

namespace A3.Generators.Tests;

/// <summary>Invalid recipes and settings become compiler diagnostics located in the YAML, with the parser's codes and words.</summary>
public sealed class DiagnosticTests
{
    private const string RecipePath = "/src/Contoso.App/recipes/bad.a3.yaml";

    [Fact]
    public void ThreeMistakesGiveTheParsersThreeDiagnosticsAtTheirYamlLocations()
    {
        var recipe = new TestRecipe(RecipePath, """
            version: 1
            name: bad
            model: models/m
            calibration:
              data: data/c.txt
              sampels: 128
            compression:
              qk: 1.5
            device: gpu
            """);

        var run = GeneratorHarness.Run([recipe]);

        var parsed = RecipeParser.Parse(recipe.Text, recipe.Path, checkFiles: false).Diagnostics;
        Assert.Equal(["A3100", "A3102", "A3108"], parsed.Select(d => d.Code));
        Assert.Equal(
            parsed.Select(d => (d.Code, d.Line, d.Column, d.Message, DiagnosticSeverity.Error)),
            run.Diagnostics.Select(d => (d.Id, Line(d), Column(d), d.GetMessage(), d.Severity)));
        Assert.All(run.Diagnostics, d => Assert.Equal(RecipePath, d.Location.GetLineSpan().Path));
        Assert.Equal(["sampels", "1.5", "gpu"], run.Diagnostics.Select(d => LocatedText(recipe, d)));
        Assert.DoesNotContain("Bad.A3Recipe.g.cs", run.Sources.Keys);
    }

    [Fact]
    public void WindowsLineEndsGiveTheSameLocations()
    {
        var recipe = new TestRecipe(RecipePath, "version: 1\r\nname: crlf\r\nmodel: m\r\ncalibration:\r\n  data: d\r\n  sampels: 1\r\ncompression:\r\n  budget: 2\r\n");

        var run = GeneratorHarness.Run([recipe]);

        Assert.Equal([(6, 3), (8, 11)], run.Diagnostics.Select(d => (Line(d), Column(d))));
        Assert.Equal(["sampels", "2"], run.Diagnostics.Select(d => LocatedText(recipe, d)));
    }

    [Fact]
    public void A_recipe_nested_a_hundred_thousand_levels_deep_is_a_diagnostic_not_a_compiler_crash()
    {
        var recipe = new TestRecipe(RecipePath, "version: 1\nname: " + new string('[', 100_000) + new string(']', 100_000) + "\n");

        var run = GeneratorHarness.Run([recipe]);

        var actual = Assert.Single(run.Diagnostics);
        Assert.Equal((RecipeErrorCodes.InvalidYaml, 2), (actual.Id, Line(actual)));
    }

    [Fact]
    public void InvalidYamlIsLocatedWhereTheReaderStopped()
    {
        var recipe = new TestRecipe(RecipePath, "version: 1\nname: [unclosed\nmodel: m\n");

        var run = GeneratorHarness.Run([recipe]);

        var expected = Assert.Single(RecipeParser.Parse(recipe.Text, recipe.Path, checkFiles: false).Diagnostics);
        var actual = Assert.Single(run.Diagnostics);
        Assert.Equal((RecipeErrorCodes.InvalidYaml, expected.Line, expected.Column), (actual.Id, Line(actual), Column(actual)));
    }

    [Fact]
    public void WarningsKeepTheirSeverityAndTheClassIsStillGenerated()
    {
        var recipe = new TestRecipe(RecipePath, """
            version: 1
            name: warned
            model: models/m
            calibration:
              data: data/c.txt
            compression:
              qk: 0.2
              overrides:
                - layers: 3
            """);

        var run = GeneratorHarness.Run([recipe]);

        var warning = Assert.Single(run.Diagnostics);
        Assert.Equal((RecipeErrorCodes.MissingRequired, DiagnosticSeverity.Warning, 9), (warning.Id, warning.Severity, Line(warning)));
        Assert.Contains("Warned.A3Recipe.g.cs", run.Sources.Keys);
    }

    [Fact]
    public void MissingModelAndDataFilesAreLeftToTheBuild()
    {
        // The generator never touches the file system: these paths exist nowhere.
        var run = GeneratorHarness.Run([TestRecipe.Minimal(RecipePath, "absent-files")]);

        Assert.Empty(run.Diagnostics);
        Assert.Contains("AbsentFiles.A3Recipe.g.cs", run.Sources.Keys);
    }

    [Fact]
    public void TwoRecipesWithOneClassNameGiveADiagnosticAndOneClass()
    {
        var first = TestRecipe.Minimal("/src/a/first.a3.yaml", "same-name");
        var second = TestRecipe.Minimal("/src/b/second.a3.yaml", "same.name");

        var run = GeneratorHarness.Run([second, first]);

        var duplicate = Assert.Single(run.Diagnostics);
        Assert.Equal(GeneratorDiagnosticCodes.DuplicateClassName, duplicate.Id);
        Assert.Equal(DiagnosticSeverity.Error, duplicate.Severity);
        Assert.Equal("/src/b/second.a3.yaml", duplicate.Location.GetLineSpan().Path);
        Assert.Equal("same.name", LocatedText(second, duplicate));
        Assert.Contains("'/src/a/first.a3.yaml'", duplicate.GetMessage());
        Assert.Contains("\"same-name\"", run.Sources["SameName.A3Recipe.g.cs"]);
        Assert.Empty(run.CompilerProblems);
    }

    [Theory]
    [InlineData("My Model", "is not a C# identifier")]
    [InlineData("class", "is a C# keyword")]
    [InlineData("model", "lower-case")]
    public void AClassNameMetadataThatCannotNameAClassIsAnError(string className, string reason)
    {
        var recipe = TestRecipe.Minimal(RecipePath, "fine-name") with { ClassName = className };

        var run = GeneratorHarness.Run([recipe]);

        var error = Assert.Single(run.Diagnostics);
        Assert.Equal(GeneratorDiagnosticCodes.InvalidClassName, error.Id);
        Assert.Contains(reason, error.GetMessage());
        Assert.Contains("ClassName metadata", error.GetMessage());
        Assert.Equal(RecipePath, error.Location.GetLineSpan().Path);
        Assert.Empty(run.CompilerProblems);
    }

    [Theory]
    [InlineData("calibration")]
    [InlineData("output-path")]
    [InlineData("recipe-method")]
    public void ARecipeNameThatClashesWithAGeneratedNameIsAnErrorAtTheName(string name)
    {
        var recipe = TestRecipe.Minimal(RecipePath, name);

        var run = GeneratorHarness.Run([recipe]);

        var error = Assert.Single(run.Diagnostics);
        Assert.Equal(GeneratorDiagnosticCodes.InvalidClassName, error.Id);
        Assert.Equal(name, LocatedText(recipe, error));
        Assert.Empty(run.CompilerProblems);
    }

    [Fact]
    public void AnInvalidGeneratedNamespaceIsAnErrorAndTheDefaultIsUsed()
    {
        var properties = GeneratorHarness.Properties(("build_property.A3GeneratedNamespace", "Contoso.My-Models"));

        var run = GeneratorHarness.Run([TestRecipe.Minimal(RecipePath, "tiny")], properties);

        var error = Assert.Single(run.Diagnostics);
        Assert.Equal(GeneratorDiagnosticCodes.InvalidNamespace, error.Id);
        Assert.Equal(Location.None, error.Location);
        Assert.Contains("namespace Contoso.App.A3", run.Sources["Tiny.A3Recipe.g.cs"]);
    }

    [Fact]
    public void AdditionalFilesOfOtherItemTypesAreIgnored()
    {
        var notARecipe = new TestRecipe("/src/Contoso.App/notes.yaml", "not: [a recipe", ItemType: "None");

        var run = GeneratorHarness.Run([notARecipe]);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Sources);
    }

    private static int Line(Diagnostic diagnostic) => diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1;

    private static int Column(Diagnostic diagnostic) => diagnostic.Location.GetLineSpan().StartLinePosition.Character + 1;

    private static string LocatedText(TestRecipe recipe, Diagnostic diagnostic) =>
        recipe.Text.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length);
}
