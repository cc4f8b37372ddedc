using Newtonsoft.Json.Linq;

namespace A3.Recipes.Tests;

public sealed class RecipeTypesTests
{
    [Fact]
    public void RecipeLibraryLoadsWithoutTheRuntimeOrTorchSharp()
    {
        // The MSBuild task and the source generator load this assembly where neither is available.
        var references = typeof(Recipe).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToArray();

        Assert.DoesNotContain("A3.Runtime", references);
        Assert.DoesNotContain("TorchSharp", references);
        Assert.Contains(typeof(Recipe).Assembly.CustomAttributes, a => a.AttributeType.Name == "TargetFrameworkAttribute" && a.ConstructorArguments[0].Value is ".NETStandard,Version=v2.0");
    }

    [Theory]
    [InlineData(typeof(RecipeMethod))]
    [InlineData(typeof(RecipeAllocation))]
    [InlineData(typeof(RecipeCalibrationFormat))]
    [InlineData(typeof(RecipeMlpSelector))]
    [InlineData(typeof(RecipeComputeDtype))]
    [InlineData(typeof(RecipeOutputDtype))]
    [InlineData(typeof(RecipeEvaluationProtocol))]
    public void ParserAndSchemaSpellEnumValuesAlike(Type enumType)
    {
        var schema = JObject.Parse(RecipeSchema.Generate());
        var inSchema = schema["definitions"]![enumType.Name]!["enum"]!.Select(v => (string)v!).ToArray();

        var parserSpellings = Enum.GetNames(enumType).Select(RecipeNames.Kebab).ToArray();

        Assert.Equal(parserSpellings, inSchema);
    }
}
