using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using A3.Cli.Output;
using A3.Compression;
using A3.Compression.Budget;
using A3.Compression.Calibration;
using A3.Compression.Methods;
using A3.Compression.Recipes;
using A3.Compression.Solvers;
using A3.Evaluation;
using A3.Recipes;
using A3.Runtime;
using A3.Runtime.Evaluation;
using A3.Runtime.Inspection;
using A3.Runtime.Model;
using A3.Runtime.Native;

namespace A3.Cli.Commands;

/// <summary><c>a3 compare</c>: A3 against the baselines at several budgets, evaluated the same way, in one table.</summary>
internal static class CompareCommand
{
    /// <summary>
    /// The entries of <c>--methods</c>: <c>a3-</c> and each allocation (<c>a3-uniform</c>, <c>a3-greedy</c>,
    /// <c>a3-search</c>: the allocation is named, never defaulted, so a table says what it compares), and the
    /// baselines, each as recipes spell it.
    /// </summary>
    private static readonly string[] KnownMethods =
    [
        .. RecipeNames.All<RecipeAllocation>().Select(name => $"{RecipeNames.Of(RecipeMethod.A3)}-{name}"),
        RecipeNames.Of(RecipeMethod.SvdLlm),
        RecipeNames.Of(RecipeMethod.Svd),
    ];

    /// <summary>Creates the verb.</summary>
    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var calibration = new CalibrationCliOptions();
        var evaluation = new EvaluationCliOptions("--eval", "--eval-seq-len", ownSeparator: false);
        var budgets = new Option<string>("--budgets") { Description = "Comma-separated budgets (fractions of decoder-linear parameters).", DefaultValueFactory = _ => "0.1,0.2,0.3" };
        var methods = new Option<string>("--methods") { Description = $"Comma-separated: {string.Join(", ", KnownMethods)}.", DefaultValueFactory = _ => string.Join(",", KnownMethods) };
        var roundTo = new Option<int>("--round-to") { Description = "Rounding of A3's kept sizes.", DefaultValueFactory = _ => 1 };
        var selector = new Option<string>("--mlp-selector") { Description = "pivoted-cholesky or importance.", DefaultValueFactory = _ => RecipeNames.Of(new CompressionSection().MlpSelector) }.AcceptOnlyFromAmong([.. RecipeNames.All<RecipeMlpSelector>()]);
        var kl = new Option<bool>("--kl") { Description = "Also measure each model's mean KL divergence per token from the original on the evaluation text (no in-domain text needed)." };
        var device = CommonOptions.Device();
        var json = CommonOptions.Json();
        var command = new Command("compare", "Compress with A3 and the baselines at several budgets and evaluate each.") { model, budgets, methods, roundTo, selector, kl, device, json };
        calibration.AddTo(command);
        evaluation.AddTo(command);
        SettingFlags.Bind(command, RecipeKeys.Device, device);
        SettingFlags.Bind(command, RecipeKeys.CompressionRoundTo, roundTo);
        SettingFlags.Bind(command, RecipeKeys.CompressionBudget, budgets);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var budgetList = OptionLists.Split(parseResult.GetValue(budgets)!, "--budgets").Select(ParseBudget).ToList();
            var methodList = OptionLists.Split(parseResult.GetValue(methods)!, "--methods");
            foreach (var name in methodList.Where(name => !KnownMethods.Contains(name)))
            {
                throw new A3InputException(CliErrorCodes.InvalidOption, $"unknown method \"{name}\" in --methods; expected {string.Join(", ", KnownMethods)}");
            }

            var torchDevice = ComputeDevice.Resolve(parseResult.GetValue(device)!);
            var calibrationSection = calibration.Read(parseResult);
            var (evalPath, evalOptions) = evaluation.Read(parseResult);
            var progress = new StderrProgress(console.ErrorWriter);
            using var checkpoint = ModelCheckpoint.Open(parseResult.GetValue(model)!);
            // A search compares plans on selection windows apart from the calibration windows, as a recipe run does.
            var searches = methodList.Any(name => name.EndsWith("-" + RecipeNames.Of(RecipeAllocation.Search), StringComparison.Ordinal));
            var calibrationOptions = RecipeBinding.Calibration(calibrationSection) with { SelectionSamples = searches ? calibrationSection.SelectionSamples : 0 };
            var calibrationSet = CalibrationSetBuilder.Build(calibrationSection.Data, checkpoint.Tokenizer, calibrationOptions);
            var mlpSelector = RecipeNames.Parse<RecipeMlpSelector>(parseResult.GetValue(selector)!)!.Value;
            var rows = new List<CompareRow>();
            using var original = checkpoint.CreateModel(torchDevice, TorchSharp.torch.ScalarType.Float32);
            var measureKl = parseResult.GetValue(kl);
            var runs = 1 + (budgetList.Count * methodList.Count);
            {
                progress.BeginPhase($"original (1/{runs})");
                var clock = Stopwatch.StartNew();
                var result = ModelEvaluation.Run(original, checkpoint.Tokenizer, evalPath, evalOptions, progress, cancellationToken);
                rows.Add(Row("original", 0, checkpoint.Config, checkpoint.Config, result, measureKl ? 0 : null, clock.Elapsed.TotalSeconds));
            }

            foreach (var budget in budgetList)
            {
                foreach (var name in methodList)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress.BeginPhase($"{name} at budget {budget.ToString("0.##", CultureInfo.InvariantCulture)} ({rows.Count + 1}/{runs})");
                    var clock = Stopwatch.StartNew();
                    var settings = new CompressionSettings { Method = Method(name, budget, parseResult.GetValue(roundTo), mlpSelector), Device = torchDevice };
                    using var compressed = ModelCompressor.Compress(checkpoint, calibrationSet, settings with { Selection = calibrationSet.Selection }, progress, cancellationToken);
                    using var decoder = compressed.CreateModel(torchDevice, TorchSharp.torch.ScalarType.Float32);
                    var result = ModelEvaluation.Run(decoder, checkpoint.Tokenizer, evalPath, evalOptions, progress, cancellationToken);
                    double? divergence = measureKl ? ModelEvaluation.Divergence(original, decoder, checkpoint.Tokenizer, evalPath, evalOptions, cancellationToken) : null;
                    rows.Add(Row(name, budget, checkpoint.Config, compressed.Config, result, divergence, clock.Elapsed.TotalSeconds));
                }
            }

            if (parseResult.GetValue(json))
            {
                console.Json(new CompareOutput(rows), CliJsonContext.Default.CompareOutput);
            }
            else
            {
                console.Line($"{"method",-10} {"budget",6} {"perplexity",11}{(measureKl ? $" {"kl",8}" : string.Empty)} {"removed",9} {"kv B/tok",9} {"FLOPs/tok",11} {"seconds",8}");
                foreach (var row in rows)
                {
                    console.Line($"{row.Method,-10} {row.Budget,6:F2} {row.Perplexity,11:F4}{(row.Kl is double value ? $" {value,8:F4}" : string.Empty)} {row.DecoderParamsRemoved,9} {row.KvBytesPerToken,9} {row.FlopsPerToken,11} {row.Seconds,8:F1}");
                }
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    /// <summary>Returns the method a <c>--methods</c> entry names at <paramref name="budget"/>, bound as a recipe with those values would be.</summary>
    private static ICompressionMethod Method(string name, double budget, int roundTo, RecipeMlpSelector selector)
    {
        var parts = name.Split('-', 2);
        var allocation = parts[0] == RecipeNames.Of(RecipeMethod.A3) && parts.Length == 2 ? RecipeNames.Parse<RecipeAllocation>(parts[1]) : null;
        var section = new CompressionSection
        {
            Method = RecipeNames.Parse<RecipeMethod>(allocation is null ? name : parts[0])!.Value,
            Budget = budget,
            Allocation = allocation,
            RoundTo = roundTo,
            MlpSelector = selector,
        };
        return RecipeBinding.Method(new Recipe { Compression = section });
    }

    private static CompareRow Row(string method, double budget, ModelConfig original, ModelConfig compressed, PerplexityResult result, double? kl, double seconds)
    {
        int bytes = ModelFootprint.BytesPerElementOf(original.TorchDtype);
        var before = ModelFootprint.Compute(original, bytes, original.MaxPositionEmbeddings);
        var after = ModelFootprint.Compute(compressed, bytes, original.MaxPositionEmbeddings);
        return new CompareRow(method, budget, result.Perplexity, kl, before.DecoderLinearParameters - after.DecoderLinearParameters, after.KvCacheBytesPerToken, after.FlopsPerToken, seconds);
    }

    private static double ParseBudget(string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var budget))
        {
            throw new A3InputException(CliErrorCodes.InvalidOption, $"\"{text}\" in --budgets is not a number");
        }

        CompressionBudget.Validate(budget);
        return budget;
    }
}
