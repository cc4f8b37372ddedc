using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using A3.Compression.Caching;
using A3.Compression.Output;
using A3.Compression.Statistics;
using A3.Onnx;
using A3.Recipes;
using A3.Runtime.IO;
using A3.Runtime;
using A3.Runtime.Evaluation;
using A3.Runtime.Native;
using A3.Runtime.Progress;
using A3.Runtime.Reporting;
using TorchSharp;

namespace A3.Compression.Recipes;

/// <summary>
/// The one entry point from a recipe to a compressed model folder, in the shape of llm-compressor's
/// <c>oneshot(model, recipe, dataset, output_dir)</c>: pre-flight, calibration, compression, the optional
/// evaluation, and the model folder with its <c>a3-report.json</c>, written inside one atomic rename, with the
/// artifact and statistics caches as optional collaborators. The <c>a3</c> command (recipe and flag modes), the
/// MSBuild task (through it), applications and tests all compress through here.
/// </summary>
public static class RecipeCompressor
{
    /// <summary>Why each method may have a path overload and a <see cref="Recipe"/> overload with the same optional parameters.</summary>
    private const string OverloadsBindApart = "The overloads differ in their first, required parameter (a recipe path or a Recipe), so no call binds to both; they ship together.";

    /// <summary>The recipe key of the device, which <see cref="RecipeCompressionOptions.Device"/> may override.</summary>
    private const string DeviceSetting = RecipeKeys.Device;

    /// <summary>Reads the recipe at <paramref name="recipePath"/> and compresses it on a dedicated thread.</summary>
    /// <param name="recipePath">The recipe file (<c>*.a3.yaml</c>).</param>
    /// <param name="outputFolder">The model folder to create, or to replace when it is empty or an earlier A3 output (never the recipe's inputs, a cache, or a folder holding them).</param>
    /// <param name="options">Caches and overrides; <see langword="null"/> for none.</param>
    /// <param name="progress">Receives steps, notes and warnings as the run goes.</param>
    /// <param name="cancellationToken">Stops the run; nothing is left half-written (statistics of finished layers stay cached).</param>
    /// <returns>What was written.</returns>
    /// <exception cref="RecipeException">The recipe has errors, or its pre-flight failed; every diagnostic is located.</exception>
    /// <exception cref="A3InputException">A model or data file is missing or malformed (the message names it).</exception>
    /// <exception cref="InvalidSettingException">The output folder may not be replaced (setting <see cref="ModelFolderDestination.Setting"/>); nothing was touched.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = OverloadsBindApart)]
    public static Task<RecipeCompressionResult> CompressAsync(
        string recipePath,
        string outputFolder,
        RecipeCompressionOptions? options = null,
        IProgress<CompressionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(recipePath);
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        return Start(() => Execute(Load(recipePath, progress), outputFolder, options, progress, cancellationToken), cancellationToken);
    }

    /// <summary>Compresses <paramref name="recipe"/> (parsed from a file or built in memory) on a dedicated thread.</summary>
    /// <param name="recipe">The recipe; relative paths resolve against its <see cref="Recipe.BaseDirectory"/>.</param>
    /// <param name="outputFolder">The model folder to create, or to replace when it is empty or an earlier A3 output (never the recipe's inputs, a cache, or a folder holding them).</param>
    /// <param name="options">Caches and overrides; <see langword="null"/> for none.</param>
    /// <param name="progress">Receives steps, notes and warnings as the run goes.</param>
    /// <param name="cancellationToken">Stops the run; nothing is left half-written (statistics of finished layers stay cached).</param>
    /// <returns>What was written.</returns>
    /// <exception cref="RecipeException">The recipe's values are wrong, or its pre-flight failed; every diagnostic is located.</exception>
    /// <exception cref="A3InputException">A model or data file is missing or malformed (the message names it).</exception>
    /// <exception cref="InvalidSettingException">The output folder may not be replaced (setting <see cref="ModelFolderDestination.Setting"/>); nothing was touched.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = OverloadsBindApart)]
    public static Task<RecipeCompressionResult> CompressAsync(
        Recipe recipe,
        string outputFolder,
        RecipeCompressionOptions? options = null,
        IProgress<CompressionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        return Start(() => Execute(Validated(recipe, progress), outputFolder, options, progress, cancellationToken), cancellationToken);
    }

    /// <summary>Compresses <paramref name="recipe"/> on the calling thread; see <see cref="CompressAsync(Recipe, string, RecipeCompressionOptions?, IProgress{CompressionProgress}?, CancellationToken)"/>.</summary>
    /// <param name="recipe">The recipe; relative paths resolve against its <see cref="Recipe.BaseDirectory"/>.</param>
    /// <param name="outputFolder">The model folder to create, or to replace when it is empty or an earlier A3 output (never the recipe's inputs, a cache, or a folder holding them).</param>
    /// <param name="options">Caches and overrides; <see langword="null"/> for none.</param>
    /// <param name="progress">Receives steps, notes and warnings as the run goes.</param>
    /// <param name="cancellationToken">Stops the run; nothing is left half-written.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="RecipeException">The recipe's values are wrong, or its pre-flight failed; every diagnostic is located.</exception>
    /// <exception cref="A3InputException">A model or data file is missing or malformed (the message names it).</exception>
    /// <exception cref="InvalidSettingException">The output folder may not be replaced (setting <see cref="ModelFolderDestination.Setting"/>); nothing was touched.</exception>
    public static RecipeCompressionResult Compress(
        Recipe recipe,
        string outputFolder,
        RecipeCompressionOptions? options = null,
        IProgress<CompressionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        return Execute(Validated(recipe, progress), outputFolder, options, progress, cancellationToken);
    }

    /// <summary>
    /// Checks the recipe at <paramref name="recipePath"/> without compressing: its text and values, then the pre-flight
    /// (model shapes, calibration and evaluation data drawn, the plan's sizes). Writes nothing.
    /// </summary>
    /// <param name="recipePath">The recipe file (<c>*.a3.yaml</c>).</param>
    /// <param name="progress">Receives the warnings found.</param>
    /// <returns>What the pre-flight opened and drew, with its summary and warnings; the caller disposes it.</returns>
    /// <exception cref="RecipeException">The recipe has errors, or its pre-flight failed; every diagnostic is located.</exception>
    /// <exception cref="A3InputException">A model or data file is missing or malformed (the message names it).</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = OverloadsBindApart)]
    public static PreparedRecipe Check(string recipePath, IProgress<CompressionProgress>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(recipePath);
        return Preflight(Load(recipePath, progress), progress);
    }

    /// <summary>Checks <paramref name="recipe"/> without compressing; see <see cref="Check(string, IProgress{CompressionProgress}?)"/>.</summary>
    /// <param name="recipe">The recipe; relative paths resolve against its <see cref="Recipe.BaseDirectory"/>.</param>
    /// <param name="progress">Receives the warnings found.</param>
    /// <returns>What the pre-flight opened and drew, with its summary and warnings; the caller disposes it.</returns>
    /// <exception cref="RecipeException">The recipe's values are wrong, or its pre-flight failed; every diagnostic is located.</exception>
    /// <exception cref="A3InputException">A model or data file is missing or malformed (the message names it).</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = OverloadsBindApart)]
    public static PreparedRecipe Check(Recipe recipe, IProgress<CompressionProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return Preflight(Validated(recipe, progress), progress);
    }

    /// <summary>Runs a recipe that passed validation (parsing validates; an in-memory recipe goes through <see cref="Validated"/>).</summary>
    private static RecipeCompressionResult Execute(
        Recipe recipe,
        string outputFolder,
        RecipeCompressionOptions? options,
        IProgress<CompressionProgress>? progress,
        CancellationToken cancellationToken)
    {
        options ??= RecipeCompressionOptions.Default;
        cancellationToken.ThrowIfCancellationRequested();
        var run = new Run(recipe, OutputFolderGuard.Check(outputFolder, recipe, options), options, progress, cancellationToken);
        try
        {
            return options.ArtifactCache is { } cache ? run.Cached(cache) : run.Uncached();
        }
        catch (InvalidSettingException exception) when (!(exception.Setting == DeviceSetting && options.Device is not null))
        {
            // The engine names the setting; the recipe knows where it is written (unless the caller overrode it).
            throw new RecipeException([RecipePreflight.Locate(recipe, exception)]);
        }
    }

    private static Recipe Load(string recipePath, IProgress<CompressionProgress>? progress)
    {
        var parsed = RecipeLoader.Load(recipePath);
        if (parsed.Recipe is not { } recipe)
        {
            throw new RecipeException(parsed.Diagnostics);
        }

        foreach (var warning in parsed.Diagnostics)
        {
            progress?.Report(new CompressionWarning(warning));
        }

        return recipe;
    }

    /// <summary>Applies the format's value rules to a recipe that did not come through the parser (which applies them itself).</summary>
    private static Recipe Validated(Recipe recipe, IProgress<CompressionProgress>? progress)
    {
        var diagnostics = RecipeValidator.Validate(recipe, checkFiles: true);
        if (diagnostics.Any(diagnostic => diagnostic.Severity == RecipeSeverity.Error))
        {
            throw new RecipeException(diagnostics);
        }

        foreach (var warning in diagnostics)
        {
            progress?.Report(new CompressionWarning(warning));
        }

        return recipe;
    }

    private static PreparedRecipe Preflight(Recipe recipe, IProgress<CompressionProgress>? progress)
    {
        var prepared = RecipePreflight.Run(recipe);
        foreach (var warning in prepared.Warnings)
        {
            progress?.Report(new CompressionWarning(warning));
        }

        return prepared;
    }

    private static Task<RecipeCompressionResult> Start(Func<RecipeCompressionResult> compress, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(compress, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// One run. Nothing on the way to a cache hit touches a TorchSharp type, so a hit never loads libtorch
    /// (see RuntimeModuleInitializer): everything that computes lives in methods of its own, which the JIT
    /// compiles only when a miss calls them.
    /// </summary>
    private sealed class Run(Recipe recipe, string outputFolder, RecipeCompressionOptions options, IProgress<CompressionProgress>? progress, CancellationToken cancellationToken)
    {
        private readonly string deviceChoice = options.Device ?? recipe.Device;

        public RecipeCompressionResult Cached(ArtifactCache cache)
        {
            var key = ArtifactKey.Compute(recipe, DeviceType(deviceChoice));
            ArtifactManifest manifest;
            bool hit;
            var warnings = new List<RecipeDiagnostic>();
            using (cache.Lock(key.Value, Note, cancellationToken))
            {
                var stored = cache.TryGet(key.Value, Note);
                hit = stored is not null;
                Note($"cache {(hit ? "hit" : "miss")} {key.Value}");
                manifest = stored ?? cache.Store(key, temporary => BuildPrepared(temporary, key.ModelIdentity, warnings), Note);
                cache.Materialise(manifest, outputFolder, cancellationToken);
            }

            var report = manifest.Report ?? throw new InvalidDataException($"the manifest of cache entry {key.Value} has no report");
            return new RecipeCompressionResult(outputFolder, report, manifest.Run, hit ? CacheOutcome.Hit : CacheOutcome.Miss, key.Value, warnings);
        }

        public RecipeCompressionResult Uncached()
        {
            var warnings = new List<RecipeDiagnostic>();
            var modelIdentity = options.StatisticsCacheFolder is null ? null : ArtifactKey.Compute(recipe, DeviceType(deviceChoice)).ModelIdentity;
            var (report, runFacts) = BuildPrepared(outputFolder, modelIdentity, warnings);
            return new RecipeCompressionResult(outputFolder, report, runFacts, CacheOutcome.NotUsed, null, warnings);
        }

        /// <summary>Runs the pre-flight, then compresses and writes the model folder at <paramref name="folder"/>.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private (CompressionReport Report, CompressionRunFacts RunFacts) BuildPrepared(string folder, string? modelIdentity, List<RecipeDiagnostic> warnings)
        {
            // The pre-flight checks the recipe's device; an override is checked before it, not after minutes of it.
            if (options.Device is { } overridden)
            {
                ComputeDevice.Resolve(overridden);
            }

            using var prepared = RecipePreflight.Run(recipe);
            Note(prepared.Summary);
            foreach (var warning in prepared.Warnings)
            {
                warnings.Add(warning);
                progress?.Report(new CompressionWarning(warning));
            }

            var statisticsCache = options.StatisticsCacheFolder is { } statisticsFolder && modelIdentity is not null
                ? new LayerStatisticsCache(statisticsFolder, modelIdentity, Note)
                : null;
            return Build(prepared, folder, statisticsCache);
        }

        /// <summary>Compresses (and evaluates, when the recipe asks) and writes the model folder with its report.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private (CompressionReport Report, CompressionRunFacts RunFacts) Build(PreparedRecipe prepared, string folder, LayerStatisticsCache? statisticsCache)
        {
            var device = ComputeDevice.Resolve(deviceChoice);
            var settings = new CompressionSettings
            {
                Method = RecipeBinding.Method(recipe),
                Pipeline = RecipeBinding.Pipeline(recipe),
                Device = device,
                ComputeType = RecipeBinding.ComputeType(recipe),
                StatisticsCache = statisticsCache,
                Selection = prepared.Calibration.Selection,
                SpoolFolder = SpoolBeside(folder),
            };
            var steps = progress is null ? null : new Progress(progress);
            using var compressed = ModelCompressor.Compress(prepared.Checkpoint, prepared.Calibration, settings, steps, cancellationToken);
            if (statisticsCache is not null)
            {
                Note(StatisticsReuse.Describe(compressed.RunFacts.Layers));
            }

            var report = compressed.Report;
            var runFacts = compressed.RunFacts;
            if (prepared.Evaluation is { } sequences)
            {
                var clock = Stopwatch.StartNew();
                using var decoder = compressed.CreateModel(device, torch.ScalarType.Float32);
                var result = PerplexityEvaluator.Evaluate(decoder, sequences, RecipeBinding.Evaluation(recipe)!.BatchSize, steps, cancellationToken);
                report = report with { Evaluation = new ReportedEvaluation(result.Perplexity, result.MeanNll, result.Tokens) };
                runFacts = runFacts with { EvaluationSeconds = clock.Elapsed.TotalSeconds };
            }

            var writeStart = Stopwatch.GetTimestamp();
            var outputType = RecipeBinding.OutputType(recipe, prepared.Checkpoint.Config);
            if (recipe.Output.Formats.Contains(RecipeOutputFormat.Onnx))
            {
                WriteWithOnnx(compressed, folder, prepared.Checkpoint.Path, outputType, report, steps);
            }
            else
            {
                compressed.Write(folder, prepared.Checkpoint.Path, outputType, report, cancellationToken);
            }

            return (report, runFacts with { WriteSeconds = Stopwatch.GetElapsedTime(writeStart).TotalSeconds });
        }

        /// <summary>
        /// Writes the model and its ONNX export (in <see cref="ModelFiles.OnnxFolderName"/>) as one folder that appears whole or
        /// not at all: both are built in hidden siblings of <paramref name="folder"/>, the export from the written model (so it
        /// is exactly what the folder holds), and moved into place together.
        /// </summary>
        private void WriteWithOnnx(CompressedModel compressed, string folder, string tokenizerSource, torch.ScalarType outputType, CompressionReport report, IProgress<ProgressUpdate>? steps)
        {
            var target = Path.GetFullPath(folder);
            var staging = FolderReplacement.TemporarySibling(target);
            var export = FolderReplacement.TemporarySibling(target);
            try
            {
                compressed.Write(staging, tokenizerSource, outputType, report, cancellationToken);
                OnnxExporter.Export(staging, export, progress: steps, cancellationToken: cancellationToken);
                Directory.Move(export, Path.Combine(staging, ModelFiles.OnnxFolderName));
                FolderReplacement.Commit(staging, target);
            }
            finally
            {
                FolderReplacement.DeleteQuietly(export);
                FolderReplacement.DeleteQuietly(staging);
            }
        }

        private void Note(string text) => progress?.Report(new CompressionNote(text));

        /// <summary>
        /// A hidden sibling of the output for the finished layers, on the output's file system (not a RAM-backed
        /// temporary folder) and named like the writer's own temporary folder, so the build's clean-up of a killed
        /// run removes it too; the system's temporary folder when the output's parent does not exist yet.
        /// </summary>
        private static string? SpoolBeside(string folder)
        {
            var target = Path.GetFullPath(folder);
            return Directory.Exists(Path.GetDirectoryName(target)) ? FolderReplacement.TemporarySibling(target) : null;
        }

        /// <summary>
        /// Names the device type for the artifact key (the weights depend on the kind of device, not on which one);
        /// only <c>auto</c> needs the native backend to decide.
        /// </summary>
        private static string DeviceType(string choice) => choice.Trim().ToLowerInvariant() switch
        {
            "cpu" => "cpu",
            var cuda when cuda == "cuda" || cuda.StartsWith("cuda:", StringComparison.Ordinal) => "cuda",
            _ => ResolvedDeviceType(choice),
        };

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string ResolvedDeviceType(string choice) => ComputeDevice.Resolve(choice).type == TorchSharp.DeviceType.CUDA ? "cuda" : "cpu";
    }

    /// <summary>Forwards the engine's counted steps as <see cref="CompressionStep"/>s.</summary>
    private sealed class Progress(IProgress<CompressionProgress> target) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => target.Report(new CompressionStep(value));
    }
}
