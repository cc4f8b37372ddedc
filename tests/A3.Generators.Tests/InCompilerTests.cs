using System.Reflection;
using A3.Generators.Tests.Generated;

namespace A3.Generators.Tests;

/// <summary>
/// This test project references the generator as an analyzer and lists <c>TestRecipes/in-compiler.a3.yaml</c>
/// as an <c>A3Compress</c> additional file, so the real compiler ran the generator while building it:
/// these tests compile only if the compiler loaded the generator with A3.Recipes.dll and YamlDotNet.dll.
/// </summary>
public sealed class InCompilerTests
{
    [Fact]
    public void TheCompilerGeneratedTheRecipeClassFromTheItemMetadata()
    {
        Assert.Equal("in-compiler", InCompiler.Name);
        Assert.Equal(0.3, InCompiler.Compression.Budget);
        Assert.Equal("models/in-compiler", InCompiler.OutputPath);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "models", "in-compiler"), InCompiler.OutputDirectory);
        Assert.Equal(RecipeMethod.A3, InCompiler.Compression.Method);
    }

    [Fact]
    public void TheCompilerSawA3RuntimeAndGeneratedLoad()
    {
        var load = typeof(InCompiler).GetMethod("Load", BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes);

        Assert.NotNull(load);
        Assert.Equal(typeof(global::A3.Runtime.Model.ModelCheckpoint), load.ReturnType);
    }
}
