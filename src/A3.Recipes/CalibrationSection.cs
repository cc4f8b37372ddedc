using System.ComponentModel;

namespace A3.Recipes;

/// <summary>The calibration data of a recipe and how windows are drawn from it.</summary>
[Description("The calibration data and how windows are drawn from it.")]
public sealed class CalibrationSection
{
    /// <summary>The default <see cref="Format"/>.</summary>
    public const RecipeCalibrationFormat DefaultFormat = RecipeCalibrationFormat.Documents;

    /// <summary>The default <see cref="Samples"/>.</summary>
    public const int DefaultSamples = 128;

    /// <summary>The default <see cref="SequenceLength"/>.</summary>
    public const int DefaultSequenceLength = 256;

    /// <summary>The default <see cref="Seed"/>.</summary>
    public const long DefaultSeed = 0;

    /// <summary>The default <see cref="Skip"/>: start at the first document.</summary>
    public const int DefaultSkip = 0;

    /// <summary>The default document separator (<see cref="Separator"/>).</summary>
    public const string DefaultSeparator = "<|endoftext|>";

    /// <summary>The default <see cref="TokenWidth"/>: uint16 ids.</summary>
    public const int DefaultTokenWidth = 2;

    /// <summary>The default <see cref="SelectionSamples"/>.</summary>
    public const int DefaultSelectionSamples = 16;

    /// <summary>Gets or sets the calibration file, relative to the recipe's folder unless absolute (required).</summary>
    [Description("The calibration text or token file, relative to the recipe's folder unless absolute.")]
    public string Data { get; set; } = string.Empty;

    /// <summary>Gets or sets how the file is read.</summary>
    [Description("documents (split at the separator), text (one continuous text) or tokens (little-endian ids).")]
    public RecipeCalibrationFormat Format { get; set; } = DefaultFormat;

    /// <summary>Gets or sets the number of calibration windows (1 or more).</summary>
    [Description("Calibration windows; 1 or more.")]
    public int Samples { get; set; } = DefaultSamples;

    /// <summary>Gets or sets the tokens per window (1 or more).</summary>
    [Description("Tokens per calibration window; 1 or more.")]
    public int SequenceLength { get; set; } = DefaultSequenceLength;

    /// <summary>Gets or sets the seed of the window sampler.</summary>
    [Description("Seed of the window sampler.")]
    public long Seed { get; set; } = DefaultSeed;

    /// <summary>Gets or sets how many documents (or windows) to skip first (0 or more).</summary>
    [Description("Documents (or windows) to skip first, so calibration and evaluation never overlap.")]
    public int Skip { get; set; } = DefaultSkip;

    /// <summary>Gets or sets how many documents (or windows) to draw from at most; <see langword="null"/> for all.</summary>
    [Description("Documents (or windows) to draw from at most; all when absent.")]
    public int? Take { get; set; }

    /// <summary>Gets or sets the document separator of the documents format.</summary>
    [Description("Document separator (documents format).")]
    public string Separator { get; set; } = DefaultSeparator;

    /// <summary>
    /// Gets or sets how many windows the <c>search</c> allocation compares plans on (1 or more), drawn from the same data
    /// as the calibration windows but sharing no token with them, so the choice does not fit the solvers' own data.
    /// </summary>
    [Description("Windows the search allocation compares plans on, drawn apart from the calibration windows; 1 or more.")]
    public int SelectionSamples { get; set; } = DefaultSelectionSamples;

    /// <summary>Gets or sets the bytes per id of a tokens file: 2 or 4.</summary>
    [Description("Bytes per id of a tokens file: 2 or 4.")]
    public int TokenWidth { get; set; } = DefaultTokenWidth;
}
