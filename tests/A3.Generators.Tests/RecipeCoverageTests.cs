using System.ComponentModel;
using System.Reflection;
using A3.Generators.Models;
using A3.Generators.Tests.Infrastructure;
using A3.Recipes;
using Microsoft.CodeAnalysis;

namespace A3.Generators.Tests;

/// <summary>Every field of the recipe format reaches the generated code, and the pipeline's models stay plain values.</summary>
public sealed class RecipeCoverageTests
{
    [Fact]
    public void EveryRecipeFieldIsAGeneratedMember()
    {
        // The sample recipe has every section, so every key of the format has a member there.
        var source = GeneratorHarness.Run([TestRecipe.Sample]).Sources["Stories260kBudget02.A3Recipe.g.cs"];

        var keys = RecipeProperties.Leaves(typeof(Recipe)).Select(f => f.Key).ToList();

        Assert.Contains("calibration.sequence_length", keys);
        Assert.Contains("compression.overrides", keys);
        Assert.All(keys, key => Assert.Contains($"Recipe key <c>{key}</c>", source));
    }

    [Fact]
    public void TheOverrideTypeCoversEveryOverrideField()
    {
        // RecipeLayerOverride is written by hand in the emitter; a new override field must be added there too.
        var fields = typeof(LayerOverride).GetProperties()
            .Where(p => p.GetCustomAttribute<DescriptionAttribute>() is not null)
            .Select(p => p.Name);

        Assert.Equal(["Layers", "Mlp", "Ov", "Qk"], fields.Order());
        Assert.Equal(
            typeof(LayerOverrideValue).GetProperties().Select(p => p.Name).Where(n => n != "EqualityContract").Order(),
            ["First", "Last", "Layers", "Mlp", "Ov", "Qk"]);
    }

    [Fact]
    public void PipelineModelsHoldNoRoslynObjects()
    {
        var driver = GeneratorHarness.CreateDriver([TestRecipe.Sample, TestRecipe.Ratios, TestRecipe.Minimal("/r/bad.a3.yaml", "Bad Name")])
            .RunGenerators(GeneratorHarness.CreateCompilation(withRuntime: false));
        var steps = driver.GetRunResult().Results.Single().TrackedSteps;

        foreach (var name in new[] { TrackingNames.RecipeFiles, TrackingNames.RecipeModels, TrackingNames.Settings, TrackingNames.Plan })
        {
            foreach (var output in steps[name].SelectMany(s => s.Outputs))
            {
                AssertPlainValue(output.Value, name);
            }
        }
    }

    private static void AssertPlainValue(object? value, string path)
    {
        switch (value)
        {
            case null or string or bool or int or long or double or Enum:
                return;
            case ISymbol or Compilation or SyntaxNode or SyntaxTree or Location or SemanticModel or AdditionalText:
                Assert.Fail($"{path} holds a {value.GetType().Name}, which keeps a compilation alive and never compares equal across runs");
                return;
            case System.Collections.IEnumerable items:
                int index = 0;
                foreach (var item in items)
                {
                    AssertPlainValue(item, $"{path}[{index++}]");
                }

                return;
        }

        var type = value.GetType();
        Assert.True(type.Namespace == typeof(RecipeFile).Namespace, $"{path} holds a {type}, not one of the generator's models");
        Assert.True(type.IsValueType || type.GetMethod("Equals", [type]) is not null, $"{type} is not value-equatable");
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            AssertPlainValue(property.GetValue(value), $"{path}.{property.Name}");
        }
    }
}
