using System.CommandLine;
using A3.Compression.Caching;
using A3.Compression.Recipes;
using A3.Recipes;

namespace A3.Cli.Commands;

/// <summary><c>a3 verify</c>: checks that a materialised folder is the artifact its recipe and inputs produce now.</summary>
internal static class VerifyCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliConsole console)
    {
        var recipeFile = new Argument<string>("recipe") { Description = "The recipe (*.a3.yaml) the artifacts were built from." };
        var artifacts = new Option<string>("--artifacts") { Description = "The folder written by a3 compress RECIPE --out (holds a3-manifest.json).", Required = true };
        var command = new Command("verify", "Check a compressed model folder against its recipe: same key, and every output file unchanged; exit code 4 when it differs.") { recipeFile, artifacts };
        command.SetAction(parseResult =>
        {
            var parsed = RecipeLoader.Load(Path.GetFullPath(parseResult.GetValue(recipeFile)!));
            if (parsed.Recipe is not { } recipe)
            {
                throw new RecipeException(parsed.Diagnostics);
            }

            var verification = ArtifactVerification.Verify(recipe, Path.GetFullPath(parseResult.GetValue(artifacts)!));
            foreach (var problem in verification.Problems)
            {
                console.Line(problem);
            }

            if (!verification.Matches)
            {
                return ExitCodes.Differs;
            }

            console.Line($"ok {verification.Key}");
            return ExitCodes.Success;
        });
        return command;
    }
}
