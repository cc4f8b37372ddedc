using System.Reflection;
using System.Runtime.Loader;
using A3.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace A3.Generators.Tests;

/// <summary>The generated code compiles cleanly, with and without A3.Runtime, and holds the recipe's values at run time.</summary>
public sealed class CompilationTests
{
    [Fact]
    public void WithoutRuntimeTheCodeCompilesCleanlyAndHasNoLoad()
    {
        var run = GeneratorHarness.Run([TestRecipe.Sample, TestRecipe.Ratios]);

        Assert.Empty(run.CompilerProblems);
        Assert.Empty(ClassOf(run, "Stories260kBudget02").GetMembers("Load"));
    }

    [Fact]
    public void WithRuntimeTheCodeCompilesCleanlyAndLoadReturnsTheCheckpoint()
    {
        var run = GeneratorHarness.Run([TestRecipe.Sample, TestRecipe.Ratios], withRuntime: true);

        Assert.Empty(run.CompilerProblems);
        var load = Assert.IsAssignableFrom<IMethodSymbol>(Assert.Single(ClassOf(run, "TinyLlamaRatios").GetMembers("Load")));
        Assert.True(load.IsStatic);
        Assert.Empty(load.Parameters);
        Assert.Equal("A3.Runtime.Model.ModelCheckpoint", load.ReturnType.ToDisplayString());
    }

    [Fact]
    public void TheCodeCompilesWithCSharp8()
    {
        // The oldest language with '#nullable', which netstandard2.0 libraries still default below.
        var run = GeneratorHarness.Run([TestRecipe.Sample, TestRecipe.Ratios], languageVersion: LanguageVersion.CSharp8);

        Assert.Empty(run.CompilerProblems);
    }

    [Fact]
    public void UserCodeCanExtendThePartialClassAndUseTheValues()
    {
        const string user = """
            namespace Contoso.App.A3
            {
                public static partial class Stories260kBudget02
                {
                    public static bool IsBudgeted => Compression.Budget is double b && b > 0 && Compression.Method == RecipeMethod.A3;
                }
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation(withRuntime: false, sources: [user]);

        GeneratorHarness.CreateDriver([TestRecipe.Sample]).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void TheValuesAndTheOutputDirectoryAreRightAtRunTime()
    {
        var run = GeneratorHarness.Run([TestRecipe.Sample, TestRecipe.Ratios]);
        var context = new AssemblyLoadContext("generated", isCollectible: true);
        try
        {
            using var image = new MemoryStream();
            var emitted = run.Output.Emit(image);
            Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
            image.Position = 0;
            var assembly = context.LoadFromStream(image);

            var sample = assembly.GetType("Contoso.App.A3.Stories260kBudget02", throwOnError: true)!;
            Assert.Equal(Path.Combine(AppContext.BaseDirectory, "a3", "stories260k-budget-0.2"), Value(sample, "OutputDirectory"));
            Assert.Equal("a3/stories260k-budget-0.2", Value(sample, "OutputPath"));
            Assert.Equal(0.2, Value(sample.GetNestedType("Compression")!, "Budget"));
            Assert.Equal(500, Value(sample.GetNestedType("Calibration")!, "Take"));
            Assert.Equal(100, Value(sample.GetNestedType("Evaluation")!, "MaxDocs"));
            Assert.Equal("Documents", Value(sample.GetNestedType("Evaluation")!, "Protocol")!.ToString());

            var ratios = assembly.GetType("Contoso.App.A3.TinyLlamaRatios", throwOnError: true)!;
            Assert.Null(ratios.GetNestedType("Evaluation"));
            Assert.Null(Value(ratios.GetNestedType("Compression")!, "Budget"));
            var overrides = Assert.IsAssignableFrom<System.Collections.IList>(Value(ratios.GetNestedType("Compression")!, "Overrides"));
            Assert.True(overrides.IsReadOnly);
            Assert.Equal(
                [("0", 0, 0, (double?)0.0, (double?)null), ("4-7", 4, 7, null, 0.3)],
                overrides.Cast<object>().Select(o => ((string)Value(o, "Layers")!, (int)Value(o, "First")!, (int)Value(o, "Last")!, (double?)Value(o, "Qk"), (double?)Value(o, "Mlp"))));
        }
        finally
        {
            context.Unload();
        }
    }

    private static INamedTypeSymbol ClassOf(GeneratorRun run, string name) =>
        run.Output.GetTypeByMetadataName("Contoso.App.A3." + name) ?? throw new InvalidOperationException($"no generated class {name}");

    private static object? Value(Type type, string member) =>
        type.GetField(member, BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
        ?? type.GetProperty(member, BindingFlags.Public | BindingFlags.Static)?.GetValue(null);

    private static object? Value(object instance, string property) =>
        instance.GetType().GetProperty(property)!.GetValue(instance);
}
