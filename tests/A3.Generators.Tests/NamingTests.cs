using A3.Generators.Tests.Infrastructure;

namespace A3.Generators.Tests;

/// <summary>Class names, namespaces and output paths: derived by default, overridden by item metadata and properties.</summary>
public sealed class NamingTests
{
    [Theory]
    [InlineData("stories260k-budget-0.2", "Stories260kBudget02")]
    [InlineData("tiny_llama-ratios", "TinyLlamaRatios")]
    [InlineData("7b.chat", "_7bChat")]
    [InlineData("a--b__c..d", "ABCD")]
    [InlineData("Already-Pascal", "AlreadyPascal")]
    public void TheClassNameIsThePascalCaseOfTheRecipeName(string recipeName, string className) =>
        Assert.Equal(className, CSharpNames.ClassNameOf(recipeName));

    [Theory]
    [InlineData("Contoso.App", "", "Contoso.App.A3")]
    [InlineData("", "", "A3")]
    [InlineData("my-app.2nd", "", "my_app._2nd.A3")]
    [InlineData("Contoso.App", "Contoso.Models", "Contoso.Models")]
    [InlineData("", "Models", "Models")]
    public void TheNamespaceComesFromTheProperties(string rootNamespace, string generatedNamespace, string expected)
    {
        var properties = new Dictionary<string, string>
        {
            ["build_property.RootNamespace"] = rootNamespace,
            ["build_property.A3GeneratedNamespace"] = generatedNamespace,
        };

        var run = GeneratorHarness.Run([TestRecipe.Minimal("/r/x.a3.yaml", "tiny")], properties);

        Assert.Empty(run.Diagnostics);
        Assert.Contains($"namespace {expected}\n", run.Sources["Tiny.A3Recipe.g.cs"]);
        Assert.Contains($"namespace {expected}\n", run.Sources["A3RecipeTypes.g.cs"]);
        Assert.Empty(run.CompilerProblems);
    }

    [Fact]
    public void ClassNameMetadataReplacesTheDerivedName()
    {
        var recipe = TestRecipe.Sample with { ClassName = "TinyStories" };

        var run = GeneratorHarness.Run([recipe]);

        Assert.Equal(["A3RecipeTypes.g.cs", "TinyStories.A3Recipe.g.cs"], run.Sources.Keys.Order());
        Assert.Contains("public static partial class TinyStories\n", run.Sources["TinyStories.A3Recipe.g.cs"]);
        Assert.Empty(run.CompilerProblems);
    }

    [Fact]
    public void OutputPathMetadataReplacesTheDefaultWithForwardSlashes()
    {
        var recipe = TestRecipe.Sample with { OutputPath = @"models\tiny\" };

        var run = GeneratorHarness.Run([recipe]);

        Assert.Contains("public const string OutputPath = \"models/tiny\";", run.Sources["Stories260kBudget02.A3Recipe.g.cs"]);
    }

    [Fact]
    public void OutputPathMetadataIsNormalisedAsTheBuildTaskDoesIt()
    {
        // "models//tiny/" is produced by the task in models/tiny; the generated OutputDirectory must name that folder.
        var recipe = TestRecipe.Sample with { OutputPath = " models//tiny/ " };

        var run = GeneratorHarness.Run([recipe]);

        Assert.Contains("public const string OutputPath = \"models/tiny\";", run.Sources["Stories260kBudget02.A3Recipe.g.cs"]);
    }

    [Fact]
    public void WithoutOutputPathMetadataTheRecipesDefaultIsUsed()
    {
        var run = GeneratorHarness.Run([TestRecipe.Ratios]);

        Assert.Contains("public const string OutputPath = \"a3/tiny_llama-ratios\";", run.Sources["TinyLlamaRatios.A3Recipe.g.cs"]);
    }
}
