using System.Collections.Generic;
using System.Linq;
using System.Threading;
using A3.Generators.Emit;
using A3.Generators.Models;
using A3.Recipes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace A3.Generators;

/// <summary>Parses one recipe with the shared parser and turns it into its class model and located diagnostics.</summary>
internal static class RecipeModelBuilder
{
    private static readonly HashSet<string> ReservedClassNames = new(
        RecipeProperties.Of(typeof(Recipe)).Select(f => f.Property.Name)
            .Concat(RecipeClassEmitter.FixedMemberNames)
            .Concat(RecipeTypesEmitter.TypeNames));

    /// <summary>Parses <paramref name="file"/>.</summary>
    /// <param name="file">The recipe.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The class model when the recipe is valid, and every diagnostic.</returns>
    public static RecipeOutcome Build(RecipeFile file, CancellationToken cancellationToken)
    {
        if (file.Text is null)
        {
            var unreadable = new DiagnosticInfo(RecipeErrorCodes.FileNotFound, "the compiler could not read this recipe file", DiagnosticSeverity.Error, null);
            return new RecipeOutcome(file.Path, null, new EquatableArray<DiagnosticInfo>([unreadable]));
        }

        var text = SourceText.From(file.Text);

        // No file checks: an analyzer must not touch the file system beyond its inputs (RS1035), and
        // model and data files are the MSBuild task's and the CLI's to check when they compress.
        var result = RecipeParser.Parse(file.Text, file.Path, checkFiles: false);
        cancellationToken.ThrowIfCancellationRequested();
        var diagnostics = result.Diagnostics.Select(d => new DiagnosticInfo(
            d.Code,
            d.Message,
            d.Severity == RecipeSeverity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
            RecipeLocations.At(file.Path, text, d.Line, d.Column))).ToList();
        if (result.Recipe is not Recipe recipe)
        {
            return new RecipeOutcome(file.Path, null, diagnostics.ToEquatableArray());
        }

        bool fromMetadata = file.ClassName.Length > 0;
        var className = fromMetadata ? file.ClassName : CSharpNames.ClassNameOf(recipe.Name);
        var classNameLocation = fromMetadata ? RecipeLocations.At(file.Path, text, 1, 1) : RecipeLocations.OfName(file.Path, text);
        var problem = CSharpNames.ClassNameProblem(className)
            ?? (ReservedClassNames.Contains(className) ? "is also the name of a generated member or type" : null);
        if (problem is not null)
        {
            var source = fromMetadata ? "the ClassName metadata of the A3Compress item" : $"the recipe name '{recipe.Name}'";
            var fix = fromMetadata ? "fix the ClassName metadata" : "set ClassName metadata on the A3Compress item";
            diagnostics.Add(new DiagnosticInfo(
                GeneratorDiagnosticCodes.InvalidClassName,
                $"the class name '{className}' from {source} {problem}; {fix}",
                DiagnosticSeverity.Error,
                classNameLocation));
            return new RecipeOutcome(file.Path, null, diagnostics.ToEquatableArray());
        }

        // The same rule as the MSBuild task's, so OutputDirectory names the folder the build fills; a path the
        // task rejects fails the build there, so it is kept as written here.
        var outputPath = recipe.ResolveOutputPath(file.OutputPath) ?? file.OutputPath;
        var model = new RecipeClassModel(
            file.Path,
            System.IO.Path.GetFileName(file.Path),
            recipe.Name,
            outputPath,
            classNameLocation,
            RecipeSectionReader.Read(recipe, className));
        return new RecipeOutcome(file.Path, model, diagnostics.ToEquatableArray());
    }
}
