using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using A3.Generators.Emit;
using A3.Generators.Models;
using Microsoft.CodeAnalysis;

namespace A3.Generators;

/// <summary>Decides a project's generated files from all its recipes: one class per valid recipe and the shared types.</summary>
internal static class GenerationPlanner
{
    /// <summary>Plans the output.</summary>
    /// <param name="recipes">Every <c>A3Compress</c> recipe of the project.</param>
    /// <param name="settings">The project-wide settings.</param>
    /// <param name="runtimes">The A3 runtimes the compilation references, which decide the <c>Load</c> methods.</param>
    /// <returns>The files and the diagnostics that span recipes.</returns>
    public static GenerationPlan Plan(ImmutableArray<RecipeOutcome> recipes, GeneratorSettings settings, ReferencedRuntimes runtimes)
    {
        if (recipes.IsEmpty)
        {
            return new GenerationPlan(EquatableArray<GeneratedSource>.Empty, EquatableArray<DiagnosticInfo>.Empty);
        }

        var diagnostics = new List<DiagnosticInfo>();
        if (settings.NamespaceError is not null)
        {
            diagnostics.Add(settings.NamespaceError);
        }

        // The shared types are emitted even when every recipe has errors, so code using them does not
        // add errors of its own to the recipe's.
        var sources = new List<GeneratedSource> { new(RecipeTypesEmitter.HintName, RecipeTypesEmitter.Emit(settings.Namespace)) };

        // Ordinal order of paths makes the recipe that keeps a contested class name the same on every machine.
        var byClassName = recipes.Select(r => r.Class)
            .OfType<RecipeClassModel>()
            .OrderBy(c => c.ClassName, System.StringComparer.Ordinal)
            .ThenBy(c => c.RecipePath, System.StringComparer.Ordinal)
            .GroupBy(c => c.ClassName, System.StringComparer.Ordinal);
        foreach (var group in byClassName)
        {
            var winner = group.First();
            sources.Add(new GeneratedSource(RecipeClassEmitter.HintNameOf(winner.ClassName), RecipeClassEmitter.Emit(winner, settings.Namespace, runtimes)));
            foreach (var loser in group.Skip(1))
            {
                diagnostics.Add(new DiagnosticInfo(
                    GeneratorDiagnosticCodes.DuplicateClassName,
                    $"the recipes '{winner.RecipePath}' and '{loser.RecipePath}' both generate the class '{loser.ClassName}'; set ClassName metadata on one of the A3Compress items",
                    DiagnosticSeverity.Error,
                    loser.ClassNameLocation));
            }
        }

        return new GenerationPlan(sources.ToEquatableArray(), diagnostics.ToEquatableArray());
    }
}
