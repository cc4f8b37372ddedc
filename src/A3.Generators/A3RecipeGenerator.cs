using A3.Generators.Models;
using Microsoft.CodeAnalysis;

namespace A3.Generators;

/// <summary>
/// Generates a typed class per <c>A3Compress</c> recipe (an additional file whose
/// <c>A3SourceItemType</c> metadata is <c>A3Compress</c>) and reports the recipe's validation
/// problems as compiler diagnostics located in its YAML.
/// </summary>
/// <remarks>
/// Every step passes value-equatable models (no recipes, symbols or locations), so editing C# code
/// re-runs only the cheap A3.Runtime lookup, and its unchanged answer stops the pipeline there.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class A3RecipeGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var recipes = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, cancellationToken) => RecipeFileReader.Read(pair.Left, pair.Right.GetOptions(pair.Left), cancellationToken))
            .WithTrackingName(TrackingNames.RecipeFiles)
            .Where(static file => file is not null)
            .Select(static (file, cancellationToken) => RecipeModelBuilder.Build(file!, cancellationToken))
            .WithTrackingName(TrackingNames.RecipeModels);

        var settings = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => GeneratorSettingsReader.Read(options.GlobalOptions))
            .WithTrackingName(TrackingNames.Settings);

        var runtimes = context.CompilationProvider
            .Select(static (compilation, _) => RuntimeReference.Detect(compilation))
            .WithTrackingName(TrackingNames.RuntimeReference);

        var plan = recipes.Collect()
            .Combine(settings)
            .Combine(runtimes)
            .Select(static (input, _) => GenerationPlanner.Plan(input.Left.Left, input.Left.Right, input.Right))
            .WithTrackingName(TrackingNames.Plan);

        context.RegisterSourceOutput(recipes, static (output, recipe) => Report(output, recipe.Diagnostics));
        context.RegisterSourceOutput(plan, static (output, plan) =>
        {
            Report(output, plan.Diagnostics);
            foreach (var source in plan.Sources)
            {
                output.AddSource(source.HintName, source.Text);
            }
        });
    }

    private static void Report(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
    }
}
