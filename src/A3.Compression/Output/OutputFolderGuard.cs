using A3.Compression.Caching;
using A3.Compression.Recipes;
using A3.Compression.Statistics;
using A3.Recipes;
using A3.Runtime;
using A3.Runtime.IO;

namespace A3.Compression.Output;

/// <summary>
/// Which folder a compression may write its model to. Publishing replaces the folder wholesale, so it may replace only
/// what a compression wrote (an A3 output) or an empty folder; never the run's own inputs, a cache, or anything holding
/// them. The one rule behind the <c>a3 compress --out</c> option, the library's output folder and the build's output
/// path, checked before any work.
/// </summary>
internal static class OutputFolderGuard
{
    /// <summary>
    /// Checks that <paramref name="outputFolder"/> may receive the model <paramref name="recipe"/> compresses to, after
    /// recovering what a killed run left beside it (a previous output left aside goes back into place first).
    /// </summary>
    /// <param name="outputFolder">The folder to create or replace.</param>
    /// <param name="recipe">The recipe, whose model and data must survive.</param>
    /// <param name="options">The run's caches, which must survive too.</param>
    /// <returns>The folder's full path, without a trailing separator.</returns>
    /// <exception cref="InvalidSettingException">The folder may not be replaced; the message says why (setting <see cref="ModelFolderDestination.Setting"/>).</exception>
    public static string Check(string outputFolder, Recipe recipe, RecipeCompressionOptions options)
    {
        var target = ModelFolderDestination.Check(outputFolder);
        foreach (var (role, path, owned) in Protected(recipe, options))
        {
            ModelFolderDestination.RefuseOverlap(target, role, path, owned ? "whose folder the cache manages" : null);
        }

        return ModelFolderDestination.CheckReplaceable(target);
    }

    /// <summary>What the run reads or keeps, named for messages; <c>Owned</c> marks a cache, inside which no output may go either.</summary>
    private static IEnumerable<(string Role, string Path, bool Owned)> Protected(Recipe recipe, RecipeCompressionOptions options)
    {
        yield return ("the recipe's model", recipe.GetModelPath(), false);
        foreach (var input in recipe.GetInputs())
        {
            var role = input.Role switch
            {
                RecipeInput.RecipeRole => "the recipe",
                RecipeInput.CalibrationRole => "the calibration data",
                RecipeInput.EvaluationRole => "the evaluation data",
                _ => "a file of the recipe's model",
            };

            // A recipe built in memory names its base folder as its input; that folder is the current one's business.
            if (input.Role != RecipeInput.RecipeRole || File.Exists(input.Path))
            {
                yield return (role, input.Path, false);
            }
        }

        var caches = new List<(string, string?)>
        {
            ("the artifact cache", options.ArtifactCache?.Root),
            ("the statistics cache", options.StatisticsCacheFolder),
            ("the default artifact cache", ArtifactCache.DefaultRoot),
            ("the default statistics cache", LayerStatisticsCache.DefaultRoot),
        };
        foreach (var (role, path) in caches)
        {
            if (path is not null)
            {
                yield return (role, path, true);
            }
        }
    }
}
