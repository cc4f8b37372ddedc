using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Linq;

namespace A3.Recipes;

/// <summary>
/// A compression recipe (format version 1): which model to compress, on which calibration data, how,
/// and what to write. The CLI, the MSBuild task and the source generator all read recipes through
/// <see cref="RecipeParser"/> into this type.
/// </summary>
[Description("An A3 compression recipe (format version 1).")]
public sealed class Recipe
{
    /// <summary>The only recipe format version this library reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Gets or sets the recipe format version; must be 1.</summary>
    [Description("Recipe format version; must be 1.")]
    public int Version { get; set; } = CurrentVersion;

    /// <summary>The folder, relative to a build's output directory, compressed models go to by default.</summary>
    public const string DefaultOutputRoot = "a3";

    /// <summary>The default <see cref="Device"/>: CUDA when available, else the CPU.</summary>
    public const string DefaultDevice = "auto";

    /// <summary>The default <see cref="Dtype"/>.</summary>
    public const RecipeComputeDtype DefaultDtype = RecipeComputeDtype.Float32;

    /// <summary>Gets or sets the recipe's name (labels reports and generated types).</summary>
    [Description("The recipe's name; labels reports and generated types.")]
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the model: a Hugging Face folder or a llama2.c .bin file, relative to the recipe's folder unless absolute.</summary>
    [Description("A Hugging Face model folder or a llama2.c .bin file, relative to the recipe's folder unless absolute.")]
    public string Model { get; set; } = string.Empty;

    /// <summary>Gets or sets the calibration data and how windows are drawn from it.</summary>
    [Description("The calibration data and how windows are drawn from it.")]
    public CalibrationSection Calibration { get; set; } = new();

    /// <summary>Gets or sets the compression method and target.</summary>
    [Description("The compression method and target: qk/ov/mlp ratios or a budget.")]
    public CompressionSection Compression { get; set; } = new();

    /// <summary>Gets or sets the device: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> or <c>auto</c> (CUDA when available).</summary>
    [Description("cpu, cuda, cuda:N or auto (CUDA when available).")]
    public string Device { get; set; } = DefaultDevice;

    /// <summary>Gets or sets the dtype layers run in while compressing.</summary>
    [Description("Compute dtype while compressing: float32 or bfloat16.")]
    public RecipeComputeDtype Dtype { get; set; } = DefaultDtype;

    /// <summary>Gets or sets what is written.</summary>
    [Description("What is written.")]
    public OutputSection Output { get; set; } = new();

    /// <summary>Gets or sets the evaluation run after compression, or <see langword="null"/> for none.</summary>
    [Description("An evaluation run after compression and written into the report; optional.")]
    public EvaluationSection? Evaluation { get; set; }

    /// <summary>
    /// Gets or sets the full path of the folder relative paths resolve against: the recipe file's
    /// folder when parsed from a file. Not part of the format.
    /// </summary>
    public string BaseDirectory { get; set; } = string.Empty;

    private string sourcePath = string.Empty;
    private IReadOnlyDictionary<string, RecipeLocation> locations = new Dictionary<string, RecipeLocation>();

    /// <summary>Gets the output folder relative to a build's output directory when none is set: <c>a3/&lt;name&gt;</c>.</summary>
    public string DefaultOutputPath => DefaultOutputRoot + "/" + Name;

    /// <summary>
    /// Returns where the model goes relative to a build's output directory, as the MSBuild task produces it and
    /// the generated class finds it: <paramref name="requested"/> (an <c>A3Compress</c> item's <c>OutputPath</c>)
    /// with forward slashes and no empty segments, <see cref="DefaultOutputPath"/> when it is empty, or
    /// <see langword="null"/> when it is rooted or could leave the output directory ('.' or '..' segments).
    /// </summary>
    /// <param name="requested">The requested relative folder; empty for the default.</param>
    /// <returns>The normalised relative folder, or <see langword="null"/> when it is not allowed.</returns>
    public string? ResolveOutputPath(string requested)
    {
        var raw = (requested ?? string.Empty).Trim();
        if (raw.Length == 0)
        {
            return DefaultOutputPath;
        }

        if (Path.IsPathRooted(raw) || raw[0] is '/' or '\\')
        {
            return null;
        }

        var segments = raw.Replace('\\', '/').Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 0 || segments.Any(s => s is "." or "..") ? null : string.Join("/", segments);
    }

    /// <summary>
    /// The longest recipe name: the name becomes a folder (file systems allow 255 bytes) and a C# class, and a name
    /// much longer than a sentence is a mistake, not a label.
    /// </summary>
    public const int MaxNameLength = 128;

    /// <summary>
    /// Returns whether <paramref name="name"/> is a valid recipe name: an ASCII letter or digit, then ASCII letters,
    /// digits, '.', '_' or '-', at most <see cref="MaxNameLength"/> characters.
    /// </summary>
    /// <param name="name">The name to check.</param>
    /// <returns><see langword="true"/> when the name can name a folder and a generated class.</returns>
    public static bool IsValidName(string name) =>
        name.Length > 0 && name.Length <= MaxNameLength && IsAsciiLetterOrDigit(name[0]) && name.All(c => IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>
    /// Creates a diagnostic about the value of <paramref name="key"/>, located where the recipe writes
    /// it, or at the nearest enclosing section the recipe writes when the value is a default; for
    /// <see cref="RecipeValidator"/> and for problems found after parsing, such as calibration data
    /// too short for the windows it asks for.
    /// </summary>
    /// <param name="code">The code (an A3xxx code of the recipe or the runtime).</param>
    /// <param name="key">The dotted key (see <see cref="RecipeKeys"/>), for example <c>calibration.sequence_length</c> or <c>compression.overrides[0].layers</c>; it becomes <see cref="RecipeDiagnostic.Key"/>.</param>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="severity">The severity.</param>
    /// <returns>
    /// The diagnostic: located in the recipe's file when it was parsed from one (line 1, column 1 when
    /// nothing enclosing the key is written); with an empty <see cref="RecipeDiagnostic.File"/> and
    /// line and column 0 for a recipe built in memory.
    /// </returns>
    public RecipeDiagnostic CreateDiagnostic(string code, string key, string message, RecipeSeverity severity = RecipeSeverity.Error)
    {
        key ??= string.Empty;
        for (var path = key; path.Length > 0; path = Parent(path))
        {
            if (locations.TryGetValue(path, out var location))
            {
                return new RecipeDiagnostic(code, message, sourcePath, location.Line, location.Column, severity, key);
            }
        }

        return sourcePath.Length == 0
            ? new RecipeDiagnostic(code, message, string.Empty, 0, 0, severity, key)
            : new RecipeDiagnostic(code, message, sourcePath, 1, 1, severity, key);
    }

    /// <summary>Returns the line the value of exactly <paramref name="key"/> is written on, or <see langword="null"/> when it is not written in a file.</summary>
    internal int? LineOf(string key) => locations.TryGetValue(key, out var location) ? location.Line : null;

    /// <summary>Records the file this recipe was parsed from and where each value is written.</summary>
    internal void SetSource(string path, IReadOnlyDictionary<string, RecipeLocation> valueLocations)
    {
        sourcePath = path;
        locations = valueLocations;
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut < 0 ? string.Empty : path.Substring(0, cut);
    }

    /// <summary>Resolves <paramref name="path"/> (as written in the recipe) against <see cref="BaseDirectory"/>.</summary>
    /// <param name="path">A path from the recipe; absolute paths are returned normalised.</param>
    /// <returns>The full path.</returns>
    public string ResolvePath(string path) => Path.GetFullPath(Path.Combine(BaseDirectory, path));

    /// <summary>Returns the full path of <see cref="Model"/>.</summary>
    /// <returns>The model folder or file.</returns>
    public string GetModelPath() => ResolvePath(Model);

    /// <summary>Returns the full path of the calibration data file.</summary>
    /// <returns>The calibration file.</returns>
    public string GetCalibrationDataPath() => ResolvePath(Calibration.Data);

    /// <summary>Returns the full path of the evaluation data file, or <see langword="null"/> without an evaluation.</summary>
    /// <returns>The evaluation file or <see langword="null"/>.</returns>
    public string? GetEvaluationDataPath() => Evaluation is null ? null : ResolvePath(Evaluation.Data);

    /// <summary>
    /// Returns everything the compression of this recipe reads, in this order: the recipe itself, every file
    /// of the model (<see cref="ModelFiles.Of"/>, roles <c>model/NAME</c> in ordinal order), the calibration
    /// data and, with an evaluation, the evaluation data.
    /// </summary>
    /// <returns>The inputs; the recipe's path is the file it was parsed from, or <see cref="BaseDirectory"/> for a recipe not read from a file.</returns>
    public IReadOnlyList<RecipeInput> GetInputs()
    {
        var inputs = new List<RecipeInput> { new(RecipeInput.RecipeRole, sourcePath.Length > 0 ? Path.GetFullPath(sourcePath) : BaseDirectory) };
        inputs.AddRange(ModelFiles.Of(GetModelPath()).Select(file => new RecipeInput(RecipeInput.ModelRolePrefix + file.Name, file.Path)));
        inputs.Add(new RecipeInput(RecipeInput.CalibrationRole, GetCalibrationDataPath()));
        if (GetEvaluationDataPath() is { } evaluation)
        {
            inputs.Add(new RecipeInput(RecipeInput.EvaluationRole, evaluation));
        }

        return inputs;
    }

    private static bool IsAsciiLetterOrDigit(char c) => c < 128 && char.IsLetterOrDigit(c);
}
