using A3.Compression.Calibration;
using A3.Evaluation;
using A3.Recipes;
using A3.Runtime.Evaluation;
using A3.Runtime.Model;

namespace A3.Compression.Recipes;

/// <summary>What the pre-flight of a recipe opened and drew, handed on to the compression so nothing is read twice. Owns the checkpoint.</summary>
public sealed class PreparedRecipe : IDisposable
{
    internal PreparedRecipe(
        Recipe recipe,
        ModelCheckpoint checkpoint,
        CalibrationSet calibration,
        IReadOnlyList<ScoringSequence>? evaluation,
        string summary,
        IReadOnlyList<RecipeDiagnostic> warnings)
    {
        Recipe = recipe;
        Checkpoint = checkpoint;
        Calibration = calibration;
        Evaluation = evaluation;
        Summary = summary;
        Warnings = warnings;
    }

    /// <summary>Gets the recipe that was checked.</summary>
    public Recipe Recipe { get; }

    /// <summary>Gets the model, opened and checked against its configuration.</summary>
    public ModelCheckpoint Checkpoint { get; }

    /// <summary>Gets the calibration windows.</summary>
    public CalibrationSet Calibration { get; }

    /// <summary>Gets the sequences the recipe's evaluation scores, or <see langword="null"/> without an evaluation.</summary>
    public IReadOnlyList<ScoringSequence>? Evaluation { get; }

    /// <summary>Gets the one-line summary of what was checked.</summary>
    public string Summary { get; }

    /// <summary>Gets the warnings the checks found (the recipe runs despite them).</summary>
    public IReadOnlyList<RecipeDiagnostic> Warnings { get; }

    /// <inheritdoc />
    public void Dispose() => Checkpoint.Dispose();
}
