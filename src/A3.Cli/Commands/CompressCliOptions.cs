using System.CommandLine;
using A3.Compression.Caching;
using A3.Compression.Recipes;
using A3.Compression.Statistics;
using A3.Recipes;
using A3.Runtime.IO;

namespace A3.Cli.Commands;

/// <summary>
/// The options of <c>a3 compress</c> and how they become a recipe: a recipe file as it is, or, in flag mode, an
/// in-memory recipe whose sections start from the format's defaults and take only the options given.
/// </summary>
internal sealed class CompressCliOptions
{
    private static readonly CompressionSection CompressionDefaults = new();
    private static readonly Recipe RecipeDefaults = new();

    private readonly Argument<string?> recipeFile = new("recipe") { Description = "A recipe (*.a3.yaml) that gives the model, calibration and compression; the other options then only set --out, --device, --json, the caches and --dry-run.", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string?> model = new("--model") { Description = "A Hugging Face model folder or a llama2.c .bin file (when no recipe is given)." };
    private readonly CalibrationCliOptions calibration = new();
    private readonly Option<string?> method = new Option<string?>("--method") { Description = $"a3, svd or svd-llm; default {RecipeNames.Of(CompressionDefaults.Method)}." }.AcceptOnlyFromAmong([.. RecipeNames.All<RecipeMethod>()]);
    private readonly Option<double?> qk = new("--qk") { Description = "Fraction of the query/key head dim to remove." };
    private readonly Option<double?> ov = new("--ov") { Description = "Fraction of the value head dim to remove." };
    private readonly Option<double?> mlp = new("--mlp") { Description = "Fraction of the MLP intermediate size to remove." };
    private readonly Option<double?> budget = new("--budget") { Description = "Fraction of decoder-linear parameters to remove (instead of --qk/--ov/--mlp)." };
    private readonly Option<string?> allocation = new Option<string?>("--allocation") { Description = $"{string.Join(", ", RecipeNames.All<RecipeAllocation>())} (A3 with --budget); default {RecipeNames.Of(CompressionSection.DefaultAllocation)} for an A3 budget." }.AcceptOnlyFromAmong([.. RecipeNames.All<RecipeAllocation>()]);
    private readonly Option<int?> searchLevels = new("--search-levels") { Description = $"Sizes the search allocation compares per component; default {CompressionDefaults.SearchLevels}." };
    private readonly Option<int?> searchEvaluations = new("--search-evaluations") { Description = $"Whole plans the search allocation measures at most; default {CompressionDefaults.SearchEvaluations}." };
    private readonly Option<int?> roundTo = new("--round-to") { Description = $"Kept head dims and intermediate sizes are multiples of this; default {CompressionDefaults.RoundTo}." };
    private readonly Option<string?> selector = new Option<string?>("--mlp-selector") { Description = $"pivoted-cholesky or importance; default {RecipeNames.Of(CompressionDefaults.MlpSelector)}." }.AcceptOnlyFromAmong([.. RecipeNames.All<RecipeMlpSelector>()]);
    private readonly Option<bool> nonSequential = new("--non-sequential") { Description = "Calibrate every layer on the original model's activations." };
    private readonly Option<string?> outputDtype = new Option<string?>("--output-dtype") { Description = $"source (the model's own dtype), float32, float16 or bfloat16; default {RecipeNames.Of(RecipeDefaults.Output.Dtype)}." }.AcceptOnlyFromAmong([.. RecipeNames.All<RecipeOutputDtype>()]);
    private readonly Option<string?> output = new("--out") { Description = "The output model folder (written atomically); required unless --dry-run." };
    private readonly Option<string?> device = new("--device") { Description = $"cpu, cuda, cuda:N or auto (CUDA when available); default: the recipe's, else {RecipeDefaults.Device}." };
    private readonly Option<bool> json = CommonOptions.Json();
    private readonly Option<string?> cache = new("--cache") { Description = $"The artifact cache folder; default ${ArtifactCache.Variable} or the A3 cache folder's artifacts." };
    private readonly Option<bool> noCache = new("--no-cache") { Description = "Compute everything without reading or filling the artifact and statistics caches." };
    private readonly Option<string?> statisticsCache = new("--stats-cache") { Description = $"The layer statistics cache folder; default ${LayerStatisticsCache.Variable} or the A3 cache folder's statistics." };
    private readonly Option<bool> noStatisticsCache = new("--no-stats-cache") { Description = "Collect every layer's statistics without reading or filling the statistics cache." };
    private readonly Option<bool> dryRun = new("--dry-run") { Description = "Validate the recipe and run the pre-flight checks (model shapes, calibration windows, plan) only; write nothing." };

    /// <summary>The options that describe the compression, which a recipe gives instead.</summary>
    private IEnumerable<Option> CompressionOptions => [model, method, qk, ov, mlp, budget, allocation, searchLevels, searchEvaluations, roundTo, selector, nonSequential, outputDtype];

    /// <summary>Adds the argument and options to <paramref name="command"/> and records which recipe key each sets.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Add(recipeFile);
        foreach (var option in CompressionOptions.Concat([output, device, json, cache, noCache, statisticsCache, noStatisticsCache, dryRun]))
        {
            command.Options.Add(option);
        }

        calibration.AddTo(command);
        SettingFlags.Bind(command, RecipeKeys.Model, model);
        SettingFlags.Bind(command, RecipeKeys.CompressionMethod, method);
        SettingFlags.Bind(command, RecipeKeys.CompressionQk, qk);
        SettingFlags.Bind(command, RecipeKeys.CompressionOv, ov);
        SettingFlags.Bind(command, RecipeKeys.CompressionMlp, mlp);
        SettingFlags.Bind(command, RecipeKeys.CompressionBudget, budget);
        SettingFlags.Bind(command, RecipeKeys.CompressionAllocation, allocation);
        SettingFlags.Bind(command, RecipeKeys.CompressionSearchLevels, searchLevels);
        SettingFlags.Bind(command, RecipeKeys.CompressionSearchEvaluations, searchEvaluations);
        SettingFlags.Bind(command, RecipeKeys.CompressionRoundTo, roundTo);
        SettingFlags.Bind(command, RecipeKeys.CompressionMlpSelector, selector);
        SettingFlags.Bind(command, RecipeKeys.CompressionSequential, nonSequential);
        SettingFlags.Bind(command, RecipeKeys.OutputDtype, outputDtype);
        SettingFlags.Bind(command, ModelFolderDestination.Setting, output);
        SettingFlags.Bind(command, RecipeKeys.Device, device);
    }

    /// <summary>Returns whether only the pre-flight should run.</summary>
    public bool DryRun(ParseResult parseResult) => parseResult.GetValue(dryRun);

    /// <summary>Returns whether the result is wanted as JSON.</summary>
    public bool Json(ParseResult parseResult) => parseResult.GetValue(json);

    /// <summary>Returns the output folder.</summary>
    /// <exception cref="A3InputException">None was given.</exception>
    public string OutputFolder(ParseResult parseResult) =>
        parseResult.GetValue(output) is { } folder
            ? Path.GetFullPath(folder)
            : throw new A3InputException(CliErrorCodes.InvalidOption, "give the output folder with --out DIR (or check the recipe with --dry-run)");

    /// <summary>Returns the caches and the device override of the run.</summary>
    /// <exception cref="A3InputException">The cache options contradict each other.</exception>
    public RecipeCompressionOptions Run(ParseResult parseResult)
    {
        var noCaches = parseResult.GetValue(noCache);
        if (noCaches && (Given(parseResult, cache) || Given(parseResult, statisticsCache)))
        {
            throw new A3InputException(CliErrorCodes.InvalidOption, "--no-cache turns off both caches; remove --cache and --stats-cache, or --no-cache");
        }

        return new RecipeCompressionOptions
        {
            ArtifactCache = noCaches ? null : new ArtifactCache(parseResult.GetValue(cache) ?? ArtifactCache.DefaultRoot),
            StatisticsCacheFolder = noCaches || parseResult.GetValue(noStatisticsCache) ? null : Path.GetFullPath(parseResult.GetValue(statisticsCache) ?? LayerStatisticsCache.DefaultRoot),
            Device = parseResult.GetValue(device),
        };
    }

    /// <summary>Returns the recipe file to run, or <see langword="null"/> in flag mode.</summary>
    /// <exception cref="A3InputException">A recipe was given together with compression options.</exception>
    public string? RecipeFile(ParseResult parseResult)
    {
        if (parseResult.GetValue(recipeFile) is not { } path)
        {
            return null;
        }

        if (path.StartsWith('-'))
        {
            // The optional argument takes any token System.CommandLine does not know, a mistyped option included.
            throw new A3InputException(CliErrorCodes.InvalidOption, $"unknown option {path} (see a3 compress --help)");
        }

        var given = CompressionOptions.Where(option => Given(parseResult, option)).Select(option => option.Name).ToList();
        if (given.Count > 0 || calibration.AnyGiven(parseResult))
        {
            throw new A3InputException(CliErrorCodes.InvalidOption, $"a recipe gives the model, calibration and compression; remove {string.Join(", ", given.DefaultIfEmpty("the calibration options"))} or edit the recipe");
        }

        return Path.GetFullPath(path);
    }

    /// <summary>Returns the in-memory recipe the options describe (flag mode); the library validates it as it would a recipe file.</summary>
    /// <exception cref="A3InputException">Neither a recipe nor a model was given.</exception>
    public Recipe FromOptions(ParseResult parseResult)
    {
        var recipe = new Recipe
        {
            // The name labels nothing the run writes; it only enters the artifact key, as the same constant every time.
            Name = "command-line",
            BaseDirectory = Directory.GetCurrentDirectory(),
            Model = parseResult.GetValue(model) is { } modelPath
                ? Path.GetFullPath(modelPath)
                : throw new A3InputException(CliErrorCodes.InvalidOption, "give a recipe (a3 compress RECIPE.a3.yaml --out DIR) or --model with calibration and compression options"),
            Calibration = calibration.Read(parseResult),
        };
        var section = recipe.Compression;
        section.Method = parseResult.GetValue(method) is { } methodName ? RecipeNames.Parse<RecipeMethod>(methodName)!.Value : section.Method;
        section.Qk = parseResult.GetValue(qk);
        section.Ov = parseResult.GetValue(ov);
        section.Mlp = parseResult.GetValue(mlp);
        section.Budget = parseResult.GetValue(budget);
        section.Allocation = parseResult.GetValue(allocation) is { } allocationName ? RecipeNames.Parse<RecipeAllocation>(allocationName) : section.Allocation;
        section.RoundTo = parseResult.GetValue(roundTo) ?? section.RoundTo;
        section.SearchLevels = parseResult.GetValue(searchLevels) ?? section.SearchLevels;
        section.SearchEvaluations = parseResult.GetValue(searchEvaluations) ?? section.SearchEvaluations;
        section.MlpSelector = parseResult.GetValue(selector) is { } selectorName ? RecipeNames.Parse<RecipeMlpSelector>(selectorName)!.Value : section.MlpSelector;
        section.Sequential = !parseResult.GetValue(nonSequential);
        recipe.Output.Dtype = parseResult.GetValue(outputDtype) is { } dtypeName ? RecipeNames.Parse<RecipeOutputDtype>(dtypeName)!.Value : recipe.Output.Dtype;
        recipe.Device = parseResult.GetValue(device) ?? recipe.Device;
        return recipe;
    }

    private static bool Given(ParseResult parseResult, Option option) => parseResult.GetResult(option) is { Implicit: false };
}
