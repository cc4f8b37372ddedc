using System.ComponentModel;

namespace A3.Recipes;

/// <summary>An evaluation run after compression, written into the report.</summary>
[Description("An evaluation run after compression and written into the report.")]
public sealed class EvaluationSection
{
    /// <summary>The default <see cref="Protocol"/>.</summary>
    public const RecipeEvaluationProtocol DefaultProtocol = RecipeEvaluationProtocol.Documents;

    /// <summary>The default <see cref="Separator"/>, the calibration's (<see cref="CalibrationSection.DefaultSeparator"/>), so both read the same file alike.</summary>
    public const string DefaultSeparator = CalibrationSection.DefaultSeparator;

    /// <summary>The default <see cref="SkipDocs"/>: start at the first document.</summary>
    public const int DefaultSkipDocs = 0;

    /// <summary>Gets or sets the text file to score, relative to the recipe's folder unless absolute (required).</summary>
    [Description("The text file to score, relative to the recipe's folder unless absolute.")]
    public string Data { get; set; } = string.Empty;

    /// <summary>Gets or sets the protocol.</summary>
    [Description("documents: each document alone, [BOS] + text; windows: the whole text in non-overlapping windows.")]
    public RecipeEvaluationProtocol Protocol { get; set; } = DefaultProtocol;

    /// <summary>Gets or sets the document separator (documents protocol).</summary>
    [Description("Document separator (documents protocol).")]
    public string Separator { get; set; } = DefaultSeparator;

    /// <summary>Gets or sets the documents to skip first (0 or more).</summary>
    [Description("Documents to skip first; 0 or more.")]
    public int SkipDocs { get; set; } = DefaultSkipDocs;

    /// <summary>Gets or sets the documents to score at most; <see langword="null"/> for all.</summary>
    [Description("Documents to score at most; all when absent.")]
    public int? MaxDocs { get; set; }

    /// <summary>Gets or sets the window length (windows protocol); <see langword="null"/> for the model context.</summary>
    [Description("Window length (windows protocol); the model context when absent.")]
    public int? SeqLen { get; set; }

    /// <summary>Gets or sets the windows to score at most; <see langword="null"/> for all.</summary>
    [Description("Windows to score at most; all when absent.")]
    public int? MaxWindows { get; set; }
}
