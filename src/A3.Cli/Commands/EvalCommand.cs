using System.CommandLine;
using A3.Cli.Output;
using A3.Recipes;
using A3.Runtime.Evaluation;
using A3.Runtime.Model;

namespace A3.Cli.Commands;

/// <summary><c>a3 eval</c>: perplexity of a model on a text under the documents or windows protocol.</summary>
internal static class EvalCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var evaluation = new EvaluationCliOptions("--data", "--seq-len", ownSeparator: true);
        var device = CommonOptions.Device();
        var dtype = CommonOptions.DType();
        var json = CommonOptions.Json();
        var command = new Command("eval", "Measure perplexity on a text file.") { model, device, dtype, json };
        evaluation.AddTo(command);
        SettingFlags.Bind(command, RecipeKeys.Device, device);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var (dataPath, options) = evaluation.Read(parseResult);
            var (torchDevice, torchDtype) = ModelOptions.Resolve(parseResult.GetValue(device)!, parseResult.GetValue(dtype)!);
            using var checkpoint = ModelCheckpoint.Open(parseResult.GetValue(model)!);
            using var decoder = checkpoint.CreateModel(torchDevice, torchDtype);
            var result = ModelEvaluation.Run(decoder, checkpoint.Tokenizer, dataPath, options, new StderrProgress(console.ErrorWriter), cancellationToken);
            if (parseResult.GetValue(json))
            {
                console.Json(
                    new EvalOutput(result.Perplexity, result.MeanNll, result.Tokens, result.Seconds, result.Sequences, result.Tokens / result.Seconds, torchDevice.ToString(), parseResult.GetValue(dtype)!),
                    CliJsonContext.Default.EvalOutput);
            }
            else
            {
                console.Line($"perplexity {result.Perplexity:F4}  mean NLL {result.MeanNll:F5} nats  {result.Tokens} tokens in {result.Sequences} sequences  {result.Seconds:F2}s ({result.Tokens / result.Seconds:F0} tokens/s)");
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
