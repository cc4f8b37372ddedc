using System.CommandLine;
using A3.Cli.Output;
using A3.Compression.Recipes;
using A3.Recipes;
using A3.Runtime.Native;

namespace A3.Cli.Commands;

/// <summary>
/// <c>a3 compress</c>: reads a recipe, or builds one from the options, and hands it to the library's one entry
/// point (<see cref="RecipeCompressor"/>); this verb only parses options and renders what comes back.
/// </summary>
internal static class CompressCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliConsole console)
    {
        var options = new CompressCliOptions();
        var command = new Command("compress", "Compress a model with A3 (or a baseline) and write the result.");
        options.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var progress = new StderrProgress(console.ErrorWriter, diagnostic => A3Application.Render(command, diagnostic));
            var recipeFile = options.RecipeFile(parseResult);
            var recipe = recipeFile is null ? options.FromOptions(parseResult) : null;
            if (options.DryRun(parseResult))
            {
                // A recipe's own device is checked by the pre-flight; an override of it must be checked here.
                if (recipeFile is not null && options.Run(parseResult).Device is { } device)
                {
                    ComputeDevice.Resolve(device);
                }

                using var prepared = recipeFile is not null ? RecipeCompressor.Check(recipeFile, progress) : RecipeCompressor.Check(recipe!, progress);
                console.Error(prepared.Summary);
                return ExitCodes.Success;
            }

            var output = options.OutputFolder(parseResult);
            var run = options.Run(parseResult);
            var result = recipeFile is not null
                ? await RecipeCompressor.CompressAsync(recipeFile, output, run, progress, cancellationToken)
                : await RecipeCompressor.CompressAsync(recipe!, output, run, progress, cancellationToken);
            Render(console, result, options.Json(parseResult));
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Render(CliConsole console, RecipeCompressionResult result, bool json)
    {
        if (json)
        {
            var cache = result.Cache switch { CacheOutcome.Hit => "hit", CacheOutcome.Miss => "miss", _ => "none" };
            console.Json(new CompressOutput(result.OutputFolder, cache, result.Key, result.Report, result.RunFacts), CliJsonContext.Default.CompressOutput);
            return;
        }

        var report = result.Report;
        var seconds = result.Cache == CacheOutcome.Hit || result.RunFacts is null ? string.Empty : $" in {result.RunFacts.Seconds:F1}s";
        console.Line($"{report.Method} {report.Target}: removed {report.DecoderParametersRemoved:N0} decoder-linear parameters ({report.DecoderRemovedFraction:0.0%}){seconds}");
        console.Line($"KV cache {report.Before.KvCacheBytesPerToken:N0} -> {report.After.KvCacheBytesPerToken:N0} bytes/token; FLOPs/token {report.Before.FlopsPerToken:N0} -> {report.After.FlopsPerToken:N0}");
        if (report.Evaluation is { } evaluation)
        {
            console.Line($"evaluation: perplexity {evaluation.Perplexity:F4} over {evaluation.Tokens} tokens");
        }

        console.Line($"wrote {result.OutputFolder}");
    }
}
