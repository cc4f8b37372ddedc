using A3.Recipes;

namespace A3.Evaluation;

/// <summary>Options of a perplexity evaluation; the defaults are a recipe's (<see cref="EvaluationSection"/>).</summary>
public sealed record EvaluationOptions
{
    /// <summary>Gets the protocol.</summary>
    public EvaluationProtocol Protocol { get; init; } = EvaluationProtocols.Of(EvaluationSection.DefaultProtocol);

    /// <summary>Gets the separator between documents.</summary>
    public string Separator { get; init; } = EvaluationSection.DefaultSeparator;

    /// <summary>Gets the number of leading documents to skip (so evaluation never overlaps calibration).</summary>
    public int SkipDocuments { get; init; } = EvaluationSection.DefaultSkipDocs;

    /// <summary>Gets the maximum number of documents to score, or <see langword="null"/> for all.</summary>
    public int? MaxDocuments { get; init; }

    /// <summary>Gets the window length for <see cref="EvaluationProtocol.Windows"/>, or <see langword="null"/> for the model context.</summary>
    public int? SequenceLength { get; init; }

    /// <summary>Gets the maximum number of windows to score, or <see langword="null"/> for all.</summary>
    public int? MaxWindows { get; init; }

    /// <summary>Gets how many sequences are scored in one forward pass.</summary>
    public int BatchSize { get; init; } = 1;
}
