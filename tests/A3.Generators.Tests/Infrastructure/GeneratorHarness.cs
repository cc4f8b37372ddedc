using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace A3.Generators.Tests.Infrastructure;

/// <summary>Runs <see cref="A3RecipeGenerator"/> over in-memory recipes the way the compiler does.</summary>
internal static class GeneratorHarness
{
    /// <summary>The root namespace the tests' projects have unless a test says otherwise.</summary>
    public const string RootNamespace = "Contoso.App";

    private static readonly ImmutableArray<MetadataReference> FrameworkReferences = LoadFrameworkReferences();

    /// <summary>Gets a reference to the real A3.Runtime assembly.</summary>
    public static MetadataReference RuntimeReference { get; } = MetadataReference.CreateFromFile(typeof(global::A3.Runtime.Model.ModelCheckpoint).Assembly.Location);

    /// <summary>Gets a reference to the real A3.OnnxRuntime assembly.</summary>
    public static MetadataReference OnnxRuntimeReference { get; } = MetadataReference.CreateFromFile(typeof(global::A3.OnnxRuntime.OnnxDecoderModel).Assembly.Location);

    /// <summary>Returns the default project properties, with <paramref name="overrides"/> applied.</summary>
    public static Dictionary<string, string> Properties(params (string Key, string Value)[] overrides)
    {
        var properties = new Dictionary<string, string> { ["build_property.RootNamespace"] = RootNamespace };
        foreach (var (key, value) in overrides)
        {
            properties[key] = value;
        }

        return properties;
    }

    /// <summary>Creates a compilation of <paramref name="sources"/>, with or without A3.Runtime and A3.OnnxRuntime.</summary>
    public static CSharpCompilation CreateCompilation(bool withRuntime, LanguageVersion languageVersion = LanguageVersion.Latest, bool withOnnxRuntime = false, params string[] sources)
    {
        var parseOptions = new CSharpParseOptions(languageVersion);
        var references = withRuntime ? FrameworkReferences.Add(RuntimeReference) : FrameworkReferences;
        references = withOnnxRuntime ? references.AddRange(OnnxRuntimeReferences()) : references;
        return CSharpCompilation.Create(
            "Contoso.App",
            sources.Select(s => CSharpSyntaxTree.ParseText(s, parseOptions)),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999));
    }

    /// <summary>Creates a driver for <paramref name="recipes"/> that tracks its steps.</summary>
    public static GeneratorDriver CreateDriver(IEnumerable<TestRecipe> recipes, IReadOnlyDictionary<string, string>? properties = null, LanguageVersion languageVersion = LanguageVersion.Latest) =>
        CreateDriver(recipes, out _, properties, languageVersion);

    /// <summary>Creates a driver for <paramref name="recipes"/> that tracks its steps, returning the additional files it was given (to replace them later).</summary>
    public static GeneratorDriver CreateDriver(IEnumerable<TestRecipe> recipes, out IReadOnlyDictionary<string, AdditionalText> files, IReadOnlyDictionary<string, string>? properties = null, LanguageVersion languageVersion = LanguageVersion.Latest)
    {
        var list = recipes.ToList();
        files = list.ToDictionary(r => r.Path, r => (AdditionalText)new InMemoryAdditionalText(r.Path, r.Text));
        var options = new TestAnalyzerConfigOptionsProvider(
            properties ?? Properties(),
            list.ToDictionary(r => r.Path, r => r.Options));
        return CSharpGeneratorDriver.Create(
            [new A3RecipeGenerator().AsSourceGenerator()],
            files.Values,
            new CSharpParseOptions(languageVersion),
            options,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    /// <summary>Runs the generator over <paramref name="recipes"/> in a compilation with or without A3.Runtime and A3.OnnxRuntime.</summary>
    public static GeneratorRun Run(IEnumerable<TestRecipe> recipes, IReadOnlyDictionary<string, string>? properties = null, bool withRuntime = false, LanguageVersion languageVersion = LanguageVersion.Latest, bool withOnnxRuntime = false)
    {
        var compilation = CreateCompilation(withRuntime, languageVersion, withOnnxRuntime, "namespace Contoso.App { internal static class Program { } }");
        var driver = CreateDriver(recipes, properties, languageVersion)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        return new GeneratorRun(result, output, diagnostics);
    }

    /// <summary>A3.OnnxRuntime with what its public API names: the tokenizers' types and ONNX Runtime's session options.</summary>
    private static IEnumerable<MetadataReference> OnnxRuntimeReferences() =>
    [
        OnnxRuntimeReference,
        MetadataReference.CreateFromFile(typeof(global::A3.Tokenizers.ITokenizer).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(global::Microsoft.ML.OnnxRuntime.SessionOptions).Assembly.Location),
    ];

    private static ImmutableArray<MetadataReference> LoadFrameworkReferences()
    {
        // The running framework's own assemblies: enough for the generated code, and free of this
        // test's other dependencies, A3.Runtime above all (a test chooses whether to add it).
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
