using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using A3.Compression.Caching;
using A3.Recipes;
using A3.Runtime;
using A3.Compression.Calibration;
using A3.Compression;
using A3.Compression.Budget;
using A3.Runtime.Reporting;
using A3.Compression.Solvers;
using A3.Compression.Statistics;
using A3.Runtime.Evaluation;
using A3.Runtime.Model;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Cli.Commands;

/// <summary><c>a3 compress</c>: compress a model and write it as a model folder with its report.</summary>
internal static class CompressCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliConsole console)
    {
        var recipeFile = new Argument<string?>("recipe") { Description = "A recipe (*.a3.yaml) that gives the model, calibration and compression; the other options then only set --out, --device, --json, the caches and --dry-run.", Arity = ArgumentArity.ZeroOrOne };
        var model = new Option<string?>("--model") { Description = "A Hugging Face model folder or a llama2.c .bin file (when no recipe is given)." };
        var calibration = new CalibrationCliOptions(required: false);
        var method = new Option<string>("--method") { Description = "a3, svd or svd-llm.", DefaultValueFactory = _ => "a3" }.AcceptOnlyFromAmong("a3", "svd", "svd-llm");
        var qk = new Option<double?>("--qk") { Description = "Fraction of the query/key head dim to remove." };
        var ov = new Option<double?>("--ov") { Description = "Fraction of the value head dim to remove." };
        var mlp = new Option<double?>("--mlp") { Description = "Fraction of the MLP intermediate size to remove." };
        var budget = new Option<double?>("--budget") { Description = "Fraction of decoder-linear parameters to remove (instead of --qk/--ov/--mlp)." };
        var allocation = new Option<string>("--allocation") { Description = "uniform or greedy (A3 with --budget).", DefaultValueFactory = _ => "uniform" }.AcceptOnlyFromAmong("uniform", "greedy");
        var roundTo = new Option<int>("--round-to") { Description = "Kept head dims and intermediate sizes are multiples of this.", DefaultValueFactory = _ => 1 };
        var selector = new Option<string>("--mlp-selector") { Description = "pivoted-cholesky or importance.", DefaultValueFactory = _ => "pivoted-cholesky" }.AcceptOnlyFromAmong("pivoted-cholesky", "importance");
        var nonSequential = new Option<bool>("--non-sequential") { Description = "Calibrate every layer on the original model's activations." };
        var output = new Option<string?>("--out") { Description = "The output model folder (written atomically); required unless --dry-run." };
        var outputDtype = new Option<string>("--output-dtype") { Description = "float32, float16 or bfloat16.", DefaultValueFactory = _ => "float32" }.AcceptOnlyFromAmong("float32", "float16", "bfloat16");
        var device = CommonOptions.Device();
        var json = CommonOptions.Json();
        var cache = new Option<string?>("--cache") { Description = "The artifact cache folder (recipe mode; default $A3_ARTIFACT_CACHE or the A3 cache folder's artifacts)." };
        var noCache = new Option<bool>("--no-cache") { Description = "Compute everything without reading or filling the artifact and statistics caches (recipe mode)." };
        var statisticsCache = new Option<string?>("--stats-cache") { Description = "The layer statistics cache folder (recipe mode; default $A3_STATS_CACHE or the A3 cache folder's statistics)." };
        var noStatisticsCache = new Option<bool>("--no-stats-cache") { Description = "Collect every layer's statistics without reading or filling the statistics cache (recipe mode)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate the recipe and run the pre-flight checks (model shapes, calibration windows, plan) only; write nothing (recipe mode)." };
        var command = new Command("compress", "Compress a model with A3 (or a baseline) and write the result.")
        {
            recipeFile,
            model, method, qk, ov, mlp, budget, allocation, roundTo, selector, nonSequential, output, outputDtype, device, json, cache, noCache, statisticsCache, noStatisticsCache, dryRun,
        };
        calibration.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var outputFolder = parseResult.GetValue(output) is string outputPath ? Path.GetFullPath(outputPath) : null;
            if (parseResult.GetValue(recipeFile) is string recipePath)
            {
                var fromCommandLine = new Option[] { model, method, qk, ov, mlp, budget, allocation, roundTo, selector, nonSequential, outputDtype }
                    .Where(option => parseResult.GetResult(option) is { Implicit: false })
                    .Select(option => option.Name)
                    .ToList();
                if (fromCommandLine.Count > 0 || calibration.AnyGiven(parseResult))
                {
                    throw new A3InputException(A3ErrorCodes.InvalidOption, $"a recipe gives the model, calibration and compression; remove {string.Join(", ", fromCommandLine.DefaultIfEmpty("the calibration options"))} or edit the recipe");
                }

                var noCaches = parseResult.GetValue(noCache);
                if (noCaches && (parseResult.GetResult(cache) is { Implicit: false } || parseResult.GetResult(statisticsCache) is { Implicit: false }))
                {
                    throw new A3InputException(A3ErrorCodes.InvalidOption, "--no-cache turns off both caches; remove --cache and --stats-cache, or --no-cache");
                }

                if (outputFolder is null && !parseResult.GetValue(dryRun))
                {
                    throw new A3InputException(A3ErrorCodes.InvalidOption, "give the output folder with --out DIR (or check the recipe with --dry-run)");
                }

                var settings = new RecipeRun(
                    outputFolder,
                    parseResult.GetValue(device)!,
                    parseResult.GetValue(json),
                    noCaches ? null : ArtifactCache.ResolveRoot(parseResult.GetValue(cache)),
                    noCaches || parseResult.GetValue(noStatisticsCache) ? null : StatisticsCacheLocation.ResolveRoot(parseResult.GetValue(statisticsCache)),
                    parseResult.GetValue(dryRun));
                return Task.FromResult(RunRecipe(console, Path.GetFullPath(recipePath), settings, cancellationToken));
            }

            var recipeOnly = new Option[] { cache, noCache, statisticsCache, noStatisticsCache, dryRun }
                .Where(option => parseResult.GetResult(option) is { Implicit: false })
                .Select(option => option.Name)
                .ToList();
            if (recipeOnly.Count > 0)
            {
                // Only a recipe names every input, so only recipe runs have complete cache keys.
                throw new A3InputException(A3ErrorCodes.InvalidOption, $"{string.Join(", ", recipeOnly)} apply to recipes only (a3 compress RECIPE.a3.yaml)");
            }

            if (outputFolder is null)
            {
                throw new A3InputException(A3ErrorCodes.InvalidOption, "give the output folder with --out DIR");
            }

            return Task.FromResult(CompressModel(outputFolder));

            // Its own method (local functions compile separately), so a recipe run never JIT-compiles this
            // TorchSharp-typed path, which would load TorchSharp and with it libtorch on a cache hit.
            int CompressModel(string outputFolder)
            {
                var modelPath = parseResult.GetValue(model)
                    ?? throw new A3InputException(A3ErrorCodes.InvalidOption, "give a recipe (a3 compress RECIPE.a3.yaml --out DIR) or --model with calibration and compression options");
                var torchDevice = ComputeDevice.Resolve(parseResult.GetValue(device)!);
                var ratios = (parseResult.GetValue(qk), parseResult.GetValue(ov), parseResult.GetValue(mlp)) switch
                {
                    (null, null, null) => null,
                    var (q, o, m) => new ComponentRatios(q ?? 0, o ?? 0, m ?? 0),
                };
                var options = new CompressionOptions
                {
                    Method = ParseMethod(parseResult.GetValue(method)!),
                    Ratios = ratios,
                    Budget = parseResult.GetValue(budget),
                    Allocation = parseResult.GetValue(allocation) == "greedy" ? BudgetAllocation.Greedy : BudgetAllocation.Uniform,
                    RoundTo = parseResult.GetValue(roundTo),
                    MlpSelector = parseResult.GetValue(selector) == "importance" ? MlpSelector.Importance : MlpSelector.PivotedCholesky,
                    Sequential = !parseResult.GetValue(nonSequential),
                    Device = torchDevice,
                };
                options.Validate();
                var (calibrationPath, calibrationOptions) = calibration.Read(parseResult);
                using var checkpoint = ModelCheckpoint.Open(modelPath);
                var calibrationSet = CalibrationSetBuilder.Build(calibrationPath, checkpoint.Tokenizer, calibrationOptions);
                using var compressed = ModelCompressor.Compress(checkpoint, calibrationSet, options, new StderrProgressReporter(console.ErrorWriter), cancellationToken);
                compressed.Write(outputFolder, checkpoint.Path, ParseDtype(parseResult.GetValue(outputDtype)!), cancellationToken);
                Finish(console, compressed, outputFolder, null, parseResult.GetValue(json));
                return ExitCodes.Success;
            }
        });
        return command;
    }

    private static int RunRecipe(CliConsole console, string recipePath, RecipeRun run, CancellationToken cancellationToken)
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

        if (run.DryRun)
        {
            using var checkedRecipe = Preflight(console, recipe);
            return checkedRecipe is null ? ExitCodes.InvalidInput : ExitCodes.Success;
        }

        // The recipe's device applies unless the command line names one.
        var deviceChoice = run.Device == "auto" ? recipe.Device : run.Device;
        if (run.CacheRoot is null)
        {
            return RunUncached(console, recipe, run, deviceChoice, cancellationToken);
        }

        // Nothing up to a hit touches TorchSharp, so a hit never loads libtorch (see RuntimeModuleInitializer).
        var key = ArtifactKey.Compute(recipe, DeviceType(deviceChoice));
        var cache = new ArtifactCache(run.CacheRoot, console.ErrorWriter);
        ArtifactManifest? manifest;
        bool hit;
        using (cache.Lock(key.Value, cancellationToken))
        {
            manifest = cache.TryGet(key.Value);
            hit = manifest is not null;
            console.ErrorWriter.WriteLine($"a3: cache {(hit ? "hit" : "miss")} {key.Value}");
            manifest ??= StoreNew(console, recipe, run, cache, key, deviceChoice, cancellationToken);
            if (manifest is null)
            {
                return ExitCodes.InvalidInput;
            }

            cache.Materialise(key.Value, run.OutputFolder!, cancellationToken);
        }

        var report = manifest.Report?.DeepClone() as JsonObject ?? [];
        if (run.Json)
        {
            report["output"] = run.OutputFolder;
            report["cache"] = hit ? "hit" : "miss";
            report["key"] = key.Value;
            report["run"] = manifest.Run?.DeepClone();
            console.Line(report.ToJsonString(ReportJson.Options));
            return ExitCodes.Success;
        }

        console.Line($"{(string?)report["method"]} {(string?)report["target"]}: removed {(long?)report["decoder_params_removed"]:N0} decoder-linear parameters ({(double?)report["decoder_removed_fraction"]:P2})");
        console.Line($"wrote {run.OutputFolder}");
        return ExitCodes.Success;
    }

    /// <summary>Compresses a recipe without the caches (<c>--no-cache</c>) straight into the output folder.</summary>
    private static int RunUncached(CliConsole console, Recipe recipe, RecipeRun run, string deviceChoice, CancellationToken cancellationToken)
    {
        var torchDevice = ComputeDevice.Resolve(deviceChoice);
        using var prepared = Preflight(console, recipe);
        if (prepared is null)
        {
            return ExitCodes.InvalidInput;
        }

        var (compressed, evaluation) = Build(console, recipe, prepared, run.OutputFolder!, torchDevice, statisticsCache: null, cancellationToken);
        using (compressed)
        {
            Finish(console, compressed, run.OutputFolder!, evaluation, run.Json);
        }

        return ExitCodes.Success;
    }

    /// <summary>On a miss, runs the pre-flight and builds the entry of <paramref name="key"/>; <see langword="null"/> when the pre-flight fails. Call under the key's lock.</summary>
    private static ArtifactManifest? StoreNew(CliConsole console, Recipe recipe, RecipeRun run, ArtifactCache cache, ArtifactKey key, string deviceChoice, CancellationToken cancellationToken)
    {
        var torchDevice = ComputeDevice.Resolve(deviceChoice);

        // The pre-flight runs only on a miss: a hit needs none of its reading and tokenising.
        using var prepared = Preflight(console, recipe);
        if (prepared is null)
        {
            return null;
        }

        var statisticsCache = run.StatisticsRoot is null ? null : new LayerStatisticsCache(run.StatisticsRoot, key.ModelIdentity, console.Error);
        return cache.Store(
            key,
            temporary =>
            {
                var (compressed, evaluation) = Build(console, recipe, prepared, temporary, torchDevice, statisticsCache, cancellationToken);
                using (compressed)
                {
                    WriteReport(Path.Combine(temporary, CompressionReportFile.FileName), compressed.Report, evaluation);
                    return ReportJson.RunFacts(compressed.Report, evaluation);
                }
            },
            temporary => JsonNode.Parse(File.ReadAllText(Path.Combine(temporary, CompressionReportFile.FileName))));
    }

    /// <summary>Runs the pre-flight checks, printing the summary or the diagnostics; <see langword="null"/> when the recipe cannot run.</summary>
    private static PreparedRecipe? Preflight(CliConsole console, Recipe recipe)
    {
        var prepared = RecipePreflight.Run(recipe, console.ErrorWriter);
        if (prepared is not null)
        {
            console.Error(prepared.Summary);
        }

        return prepared;
    }

    /// <summary>Compresses (and evaluates, when the recipe asks) and writes the model folder; the caller owns the result.</summary>
    private static (CompressedModel Compressed, PerplexityResult? Evaluation) Build(
        CliConsole console,
        Recipe recipe,
        PreparedRecipe prepared,
        string folder,
        torch.Device torchDevice,
        LayerStatisticsCache? statisticsCache,
        CancellationToken cancellationToken)
    {
        var checkpoint = prepared.Checkpoint;
        var compressed = ModelCompressor.Compress(checkpoint, prepared.Calibration, RecipeOptions.Compression(recipe, torchDevice), statisticsCache, new StderrProgressReporter(console.ErrorWriter), cancellationToken);
        try
        {
            if (statisticsCache is not null)
            {
                console.Error(StatisticsReuse.Describe(compressed.Report.Layers));
            }

            PerplexityResult? evaluation = null;
            if (RecipeOptions.Evaluation(recipe) is { } evaluationOptions)
            {
                using var decoder = compressed.CreateModel(torchDevice, torch.ScalarType.Float32);
                evaluation = ModelEvaluation.Run(decoder, checkpoint.Tokenizer, recipe.GetEvaluationDataPath()!, evaluationOptions, new StderrProgressReporter(console.ErrorWriter), cancellationToken);
            }

            compressed.Write(folder, checkpoint.Path, RecipeOptions.OutputType(recipe), cancellationToken);
            return (compressed, evaluation);
        }
        catch
        {
            compressed.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Names the device type for the artifact key (the weights depend on the kind of device, not on
    /// which one) from the user's choice; only <c>auto</c> needs the native backend to decide.
    /// </summary>
    internal static string DeviceType(string choice) => choice.Trim().ToLowerInvariant() switch
    {
        "cpu" => "cpu",
        "auto" => ResolvedDeviceType(choice),
        var cuda when cuda == "cuda" || cuda.StartsWith("cuda:", StringComparison.Ordinal) => "cuda",
        _ => ResolvedDeviceType(choice),
    };

    private static string ResolvedDeviceType(string choice) => ComputeDevice.Resolve(choice).type == TorchSharp.DeviceType.CUDA ? "cuda" : "cpu";

    private static void Finish(CliConsole console, CompressedModel compressed, string outputFolder, PerplexityResult? evaluation, bool json)
    {
        WriteReport(Path.Combine(outputFolder, CompressionReportFile.FileName), compressed.Report, evaluation);
        var report = compressed.Report;
        if (json)
        {
            var document = JsonSerializer.SerializeToNode(ReportJson.From(report, evaluation), ReportJson.Options)!.AsObject();
            document["output"] = outputFolder;
            document["run"] = ReportJson.RunFacts(report, evaluation);
            console.Line(document.ToJsonString(ReportJson.Options));
            return;
        }

        console.Line($"{report.Method} {report.Target}: removed {report.DecoderParametersRemoved:N0} decoder-linear parameters ({report.DecoderRemovedFraction:P2}) in {report.Seconds:F1}s");
        console.Line($"KV cache {report.Before.KvCacheBytesPerToken:N0} -> {report.After.KvCacheBytesPerToken:N0} bytes/token; FLOPs/token {report.Before.FlopsPerToken:N0} -> {report.After.FlopsPerToken:N0}");
        if (evaluation is not null)
        {
            console.Line($"evaluation: perplexity {evaluation.Perplexity:F4} over {evaluation.Tokens} tokens");
        }

        console.Line($"wrote {outputFolder}");
    }

    /// <summary>Parses a method name.</summary>
    public static CompressionMethod ParseMethod(string name) => name switch
    {
        "svd" => CompressionMethod.Svd,
        "svd-llm" => CompressionMethod.SvdLlm,
        _ => CompressionMethod.A3,
    };

    private static torch.ScalarType ParseDtype(string name) => name switch
    {
        "float16" => torch.ScalarType.Float16,
        "bfloat16" => torch.ScalarType.BFloat16,
        _ => torch.ScalarType.Float32,
    };

    /// <summary>The settings of one <c>a3 compress RECIPE</c> run.</summary>
    /// <param name="OutputFolder">The output folder; <see langword="null"/> only with <paramref name="DryRun"/>.</param>
    /// <param name="Device">The device option as given (<c>auto</c> defers to the recipe).</param>
    /// <param name="Json">Whether to write the report as JSON.</param>
    /// <param name="CacheRoot">The artifact cache folder, or <see langword="null"/> for none.</param>
    /// <param name="StatisticsRoot">The statistics cache folder, or <see langword="null"/> for none.</param>
    /// <param name="DryRun">Whether to stop after the pre-flight.</param>
    private sealed record RecipeRun(string? OutputFolder, string Device, bool Json, string? CacheRoot, string? StatisticsRoot, bool DryRun);

    private static void WriteReport(string path, CompressionReport report, PerplexityResult? evaluation)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(ReportJson.From(report, evaluation), ReportJson.Options));
        File.Move(temporary, path, overwrite: true);
    }
}
