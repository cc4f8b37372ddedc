using System.CommandLine;
using A3.Compression.Caching;
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
        var command = new Command("verify", "Check a compressed model folder against its recipe: same key, and every output file unchanged.") { recipeFile, artifacts };
        command.SetAction(parseResult => Run(console, Path.GetFullPath(parseResult.GetValue(recipeFile)!), Path.GetFullPath(parseResult.GetValue(artifacts)!)));
        return command;
    }

    private static int Run(CliConsole console, string recipePath, string folder)
    {
        var parsed = RecipeLoader.Load(recipePath);
        foreach (var diagnostic in parsed.Diagnostics)
        {
            console.ErrorWriter.WriteLine(diagnostic.ToString());
        }

        if (parsed.Recipe is not Recipe recipe)
        {
            return ExitCodes.InvalidInput;
        }

        var manifest = ArtifactManifest.TryRead(Path.Combine(folder, ArtifactManifest.FileName));
        if (manifest is null)
        {
            console.Line($"{folder}: no readable {ArtifactManifest.FileName}");
            return ExitCodes.InternalError;
        }

        // The device type comes from the manifest, so a CUDA-built artifact verifies on a machine without a GPU.
        var key = ArtifactKey.Compute(recipe, manifest.Versions?.Device ?? "cpu");
        var problems = new List<string>();
        if (key.Value != manifest.Key)
        {
            problems.Add($"key {key.Value} differs from the manifest's {manifest.Key}");
            var recorded = manifest.Inputs.ToDictionary(input => input.Role, input => input.Sha256, StringComparer.Ordinal);
            foreach (var input in key.Inputs)
            {
                if (!recorded.TryGetValue(input.Role, out var hash))
                {
                    problems.Add($"input {input.Role} ({input.Path}) is new");
                }
                else if (hash != input.Sha256)
                {
                    problems.Add($"input {input.Role} ({input.Path}) differs");
                }
            }

            problems.AddRange(manifest.Inputs.Where(input => key.Inputs.All(now => now.Role != input.Role)).Select(input => $"input {input.Role} is gone"));
            if (manifest.Versions is { } versions && versions != key.Versions)
            {
                problems.Add($"tool versions differ: built with a3 {versions.Tool}, TorchSharp {versions.TorchSharp}, libtorch {versions.LibTorch}; now a3 {key.Versions.Tool}, TorchSharp {key.Versions.TorchSharp}, libtorch {key.Versions.LibTorch}");
            }
        }

        problems.AddRange(manifest.ChangedOutputs(folder).Select(file => $"output {file} changed"));
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                console.Line(problem);
            }

            return ExitCodes.InternalError;
        }

        console.Line($"ok {key.Value}");
        return ExitCodes.Success;
    }
}
