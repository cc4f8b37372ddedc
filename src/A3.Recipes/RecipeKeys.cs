using System;
using System.Globalization;

namespace A3.Recipes;

/// <summary>
/// The dotted path of every key the recipe format defines, spelled once: the parser's key lists,
/// the validator and <see cref="RecipeDiagnostic.Key"/> use these, and a command line that builds a
/// recipe from flags maps them back to its flags. A section's keys are composed from the section's
/// constant, so each name is written in one place.
/// </summary>
/// <remarks>
/// Keys inside a list item (<c>compression.overrides</c>) are spelled without the index here
/// (<see cref="CompressionOverridesLayers"/>); <see cref="Override(int, string)"/> inserts it, as in
/// <c>compression.overrides[1].layers</c>.
/// </remarks>
public static class RecipeKeys
{
    /// <summary>The recipe format version.</summary>
    public const string Version = "version";

    /// <summary>The recipe's name.</summary>
    public const string Name = "name";

    /// <summary>The model folder or file.</summary>
    public const string Model = "model";

    /// <summary>The calibration section.</summary>
    public const string Calibration = "calibration";

    /// <summary>The calibration data file.</summary>
    public const string CalibrationData = Calibration + ".data";

    /// <summary>How the calibration file is read.</summary>
    public const string CalibrationFormat = Calibration + ".format";

    /// <summary>The number of calibration windows.</summary>
    public const string CalibrationSamples = Calibration + ".samples";

    /// <summary>The tokens per calibration window.</summary>
    public const string CalibrationSequenceLength = Calibration + ".sequence_length";

    /// <summary>The seed of the window sampler.</summary>
    public const string CalibrationSeed = Calibration + ".seed";

    /// <summary>The documents (or windows) to skip first.</summary>
    public const string CalibrationSkip = Calibration + ".skip";

    /// <summary>The documents (or windows) to draw from at most.</summary>
    public const string CalibrationTake = Calibration + ".take";

    /// <summary>The document separator of the documents format.</summary>
    public const string CalibrationSeparator = Calibration + ".separator";

    /// <summary>The bytes per id of a tokens file.</summary>
    public const string CalibrationTokenWidth = Calibration + ".token_width";

    /// <summary>The selection windows a search allocator compares plans on, apart from the calibration windows.</summary>
    public const string CalibrationSelectionSamples = Calibration + ".selection_samples";

    /// <summary>The compression section.</summary>
    public const string Compression = "compression";

    /// <summary>The compression method.</summary>
    public const string CompressionMethod = Compression + ".method";

    /// <summary>The model-wide query/key ratio.</summary>
    public const string CompressionQk = Compression + ".qk";

    /// <summary>The model-wide value ratio.</summary>
    public const string CompressionOv = Compression + ".ov";

    /// <summary>The model-wide MLP ratio.</summary>
    public const string CompressionMlp = Compression + ".mlp";

    /// <summary>The parameter budget.</summary>
    public const string CompressionBudget = Compression + ".budget";

    /// <summary>How a budget is allocated.</summary>
    public const string CompressionAllocation = Compression + ".allocation";

    /// <summary>The multiple kept sizes are rounded to.</summary>
    public const string CompressionRoundTo = Compression + ".round_to";

    /// <summary>The list of per-layer overrides.</summary>
    public const string CompressionOverrides = Compression + ".overrides";

    /// <summary>The layers of an override (without the item index; see <see cref="Override(int, string)"/>).</summary>
    public const string CompressionOverridesLayers = CompressionOverrides + ".layers";

    /// <summary>The query/key ratio of an override (without the item index).</summary>
    public const string CompressionOverridesQk = CompressionOverrides + ".qk";

    /// <summary>The value ratio of an override (without the item index).</summary>
    public const string CompressionOverridesOv = CompressionOverrides + ".ov";

    /// <summary>The MLP ratio of an override (without the item index).</summary>
    public const string CompressionOverridesMlp = CompressionOverrides + ".mlp";

    /// <summary>The MLP neuron selector.</summary>
    public const string CompressionMlpSelector = Compression + ".mlp_selector";

    /// <summary>Whether layers are calibrated sequentially.</summary>
    public const string CompressionSequential = Compression + ".sequential";

    /// <summary>The sizes a search allocator compares per component.</summary>
    public const string CompressionSearchLevels = Compression + ".search_levels";

    /// <summary>The whole plans a search allocator measures at most.</summary>
    public const string CompressionSearchEvaluations = Compression + ".search_evaluations";

    /// <summary>The device.</summary>
    public const string Device = "device";

    /// <summary>The compute dtype.</summary>
    public const string Dtype = "dtype";

    /// <summary>The output section.</summary>
    public const string Output = "output";

    /// <summary>The dtype of the saved weights.</summary>
    public const string OutputDtype = Output + ".dtype";

    /// <summary>The forms the build ships.</summary>
    public const string OutputFormats = Output + ".formats";

    /// <summary>The evaluation section.</summary>
    public const string Evaluation = "evaluation";

    /// <summary>The evaluation data file.</summary>
    public const string EvaluationData = Evaluation + ".data";

    /// <summary>The evaluation protocol.</summary>
    public const string EvaluationProtocol = Evaluation + ".protocol";

    /// <summary>The document separator of the documents protocol.</summary>
    public const string EvaluationSeparator = Evaluation + ".separator";

    /// <summary>The documents to skip first.</summary>
    public const string EvaluationSkipDocs = Evaluation + ".skip_docs";

    /// <summary>The documents to score at most.</summary>
    public const string EvaluationMaxDocs = Evaluation + ".max_docs";

    /// <summary>The evaluation window length.</summary>
    public const string EvaluationSeqLen = Evaluation + ".seq_len";

    /// <summary>The windows to score at most.</summary>
    public const string EvaluationMaxWindows = Evaluation + ".max_windows";

    /// <summary>Returns the last segment of <paramref name="key"/>, the name written in the recipe (<c>sequence_length</c> for <see cref="CalibrationSequenceLength"/>).</summary>
    /// <param name="key">A dotted key.</param>
    /// <returns>The key's own name.</returns>
    public static string Leaf(string key)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }

        return key.Substring(key.LastIndexOf('.') + 1);
    }

    /// <summary>Returns the key of override <paramref name="index"/> itself: <c>compression.overrides[1]</c>.</summary>
    /// <param name="index">The 0-based index in <see cref="CompressionSection.Overrides"/>.</param>
    /// <returns>The indexed key.</returns>
    public static string Override(int index) => CompressionOverrides + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>Returns the key <paramref name="key"/> of override <paramref name="index"/>: <c>compression.overrides[1].layers</c> for <see cref="CompressionOverridesLayers"/>.</summary>
    /// <param name="index">The 0-based index in <see cref="CompressionSection.Overrides"/>.</param>
    /// <param name="key">One of the <c>CompressionOverrides*</c> keys, or its leaf (<c>layers</c>).</param>
    /// <returns>The indexed key.</returns>
    public static string Override(int index, string key) => Override(index) + "." + Leaf(key);
}
