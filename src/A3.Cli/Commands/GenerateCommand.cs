using System.CommandLine;
using A3.Cli.Output;
using A3.Generation;
using A3.Recipes;
using A3.Runtime;
using A3.Runtime.Generation;
using A3.Runtime.Model;

namespace A3.Cli.Commands;

/// <summary><c>a3 generate</c>: continue a prompt, greedily or by sampling.</summary>
internal static class GenerateCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var prompt = new Option<string>("--prompt") { Description = "The text to continue.", DefaultValueFactory = _ => string.Empty };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Tokens to generate at most.", DefaultValueFactory = _ => 64 };
        var temperature = new Option<double>("--temperature") { Description = "0 for greedy decoding, otherwise the sampling temperature." };
        var seed = new Option<int>("--seed") { Description = "Seed of the sampler." };
        var device = CommonOptions.Device();
        var dtype = CommonOptions.DType();
        var json = CommonOptions.Json();
        var command = new Command("generate", "Continue a prompt.") { model, prompt, maxNewTokens, temperature, seed, device, dtype, json };
        SettingFlags.Bind(command, RecipeKeys.Device, device);
        SettingFlags.Bind(command, "temperature", temperature);
        SettingFlags.Bind(command, "prompt", prompt);
        command.SetAction((parseResult, cancellationToken) =>
        {
            int steps = parseResult.GetValue(maxNewTokens);
            if (steps < 0)
            {
                throw new A3InputException(CliErrorCodes.InvalidOption, $"--max-new-tokens must be 0 or more, got {steps}");
            }

            var sampler = new TokenSampler(parseResult.GetValue(temperature), parseResult.GetValue(seed));
            var (torchDevice, torchDtype) = ModelOptions.Resolve(parseResult.GetValue(device)!, parseResult.GetValue(dtype)!);
            using var checkpoint = ModelCheckpoint.Open(parseResult.GetValue(model)!);
            using var decoder = checkpoint.CreateModel(torchDevice, torchDtype);
            var result = TextGenerator.Generate(decoder, checkpoint.Tokenizer, parseResult.GetValue(prompt)!, steps, sampler, cancellationToken);
            if (parseResult.GetValue(json))
            {
                console.Json(
                    new GenerateOutput(result.Prompt, result.Completion, result.Prompt + result.Completion, result.PromptTokens, result.GeneratedTokens, result.StoppedAtEos, result.Seconds, result.TokensPerSecond),
                    CliJsonContext.Default.GenerateOutput);
            }
            else
            {
                console.Line(result.Prompt + result.Completion);
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
