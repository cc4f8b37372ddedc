using A3.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace A3.Generators.Tests;

/// <summary>
/// The <c>Load</c> methods for A3.OnnxRuntime: alone, <c>Load()</c> opens the artifact's ONNX export; beside A3.Runtime,
/// <c>Load()</c> keeps returning the checkpoint and <c>LoadOnnx()</c> opens the export.
/// </summary>
public sealed class OnnxLoadTests
{
    private const string OnnxModel = "A3.OnnxRuntime.OnnxDecoderModel";

    [Fact]
    public void WithOnnxRuntimeAloneLoadReturnsTheOnnxModel()
    {
        var run = GeneratorHarness.Run([TestRecipe.Sample, TestRecipe.Ratios], withOnnxRuntime: true);

        Assert.Empty(run.CompilerProblems);
        var type = ClassOf(run, "TinyLlamaRatios");
        var load = Assert.IsAssignableFrom<IMethodSymbol>(Assert.Single(type.GetMembers("Load")));
        Assert.True(load.IsStatic);
        Assert.Equal(OnnxModel, load.ReturnType.ToDisplayString());
        var options = Assert.Single(load.Parameters);
        Assert.True(options.IsOptional);
        Assert.Equal("A3.OnnxRuntime.OnnxModelOptions?", options.Type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier)));
        Assert.Empty(type.GetMembers("LoadOnnx"));
    }

    [Fact]
    public void WithBothRuntimesLoadKeepsTheCheckpointAndLoadOnnxOpensTheExport()
    {
        var run = GeneratorHarness.Run([TestRecipe.Sample, TestRecipe.Ratios], withRuntime: true, withOnnxRuntime: true);

        Assert.Empty(run.CompilerProblems);
        var type = ClassOf(run, "Stories260kBudget02");
        var load = Assert.IsAssignableFrom<IMethodSymbol>(Assert.Single(type.GetMembers("Load")));
        Assert.Equal("A3.Runtime.Model.ModelCheckpoint", load.ReturnType.ToDisplayString());
        var loadOnnx = Assert.IsAssignableFrom<IMethodSymbol>(Assert.Single(type.GetMembers("LoadOnnx")));
        Assert.Equal(OnnxModel, loadOnnx.ReturnType.ToDisplayString());
    }

    [Fact]
    public void WithoutOnnxRuntimeThereIsNoOnnxDirectory()
    {
        var run = GeneratorHarness.Run([TestRecipe.Sample], withRuntime: true);

        Assert.Empty(ClassOf(run, "Stories260kBudget02").GetMembers("OnnxDirectory"));
        Assert.Empty(ClassOf(run, "Stories260kBudget02").GetMembers("LoadOnnx"));
    }

    [Fact]
    public void TheOnnxDirectoryIsTheArtifactsOnnxSubfolder()
    {
        var run = GeneratorHarness.Run([TestRecipe.Sample], withOnnxRuntime: true);

        Assert.Contains(
            $"global::System.IO.Path.Combine(OutputDirectory, \"{A3.Recipes.ModelFiles.OnnxFolderName}\")",
            run.Sources["Stories260kBudget02.A3Recipe.g.cs"],
            StringComparison.Ordinal);
    }

    [Fact]
    public void SampleRecipeWithOnnxRuntimeMatchesItsSnapshot()
    {
        var run = GeneratorHarness.Run([TestRecipe.Sample], withOnnxRuntime: true);

        Assert.Empty(run.Diagnostics);
        Snapshot.Match("Stories260kBudget02.WithOnnxRuntime", run.Sources["Stories260kBudget02.A3Recipe.g.cs"]);
    }

    private static INamedTypeSymbol ClassOf(GeneratorRun run, string className) =>
        run.Output.GetTypeByMetadataName($"{GeneratorHarness.RootNamespace}.A3.{className}") ?? throw new InvalidOperationException($"no generated class {className}");
}
