using A3.Recipes;
namespace A3.Compression.Calibration;

/// <summary>
/// Which calibration windows to draw from a file; the defaults are a recipe's (<see cref="CalibrationSection"/>). The source is a token stream: for
/// <see cref="RecipeCalibrationFormat.Documents"/> the concatenation of <c>[BOS] + encode(document)</c>
/// over the selected documents; for <see cref="RecipeCalibrationFormat.Text"/> and
/// <see cref="RecipeCalibrationFormat.Tokens"/> the file's tokens. <see cref="Samples"/> window starts are
/// drawn uniformly, with replacement, from that stream by a seeded SplitMix64 generator, so the
/// same options and file give the same windows on every machine and .NET version.
/// </summary>
public sealed record CalibrationOptions
{
    /// <summary>Gets how the file is read.</summary>
    public RecipeCalibrationFormat Format { get; init; } = CalibrationSection.DefaultFormat;

    /// <summary>Gets the document separator of <see cref="RecipeCalibrationFormat.Documents"/> files.</summary>
    public string Separator { get; init; } = CalibrationSection.DefaultSeparator;

    /// <summary>
    /// Gets how many leading units of the source to leave out. For <see cref="RecipeCalibrationFormat.Documents"/>
    /// the unit is a document (after splitting and trimming, empty ones dropped); for
    /// <see cref="RecipeCalibrationFormat.Text"/> and <see cref="RecipeCalibrationFormat.Tokens"/> it is an aligned,
    /// non-overlapping block of <see cref="SequenceLength"/> tokens (block <c>i</c> covers tokens
    /// <c>i·L … (i+1)·L−1</c>), the windows an evaluation of the same file would score; a trailing
    /// partial block is never used. Together with
    /// <see cref="Take"/> this keeps calibration away from held-out data.
    /// </summary>
    public int Skip { get; init; } = CalibrationSection.DefaultSkip;

    /// <summary>
    /// Gets how many units (documents or blocks, see <see cref="Skip"/>) after the skipped ones form the
    /// source; <see langword="null"/> for all the rest. Windows are drawn only inside them.
    /// </summary>
    public int? Take { get; init; }

    /// <summary>Gets the number of windows to draw.</summary>
    public int Samples { get; init; } = CalibrationSection.DefaultSamples;

    /// <summary>Gets the length of every window in tokens.</summary>
    public int SequenceLength { get; init; } = CalibrationSection.DefaultSequenceLength;

    /// <summary>Gets the seed of the window draw.</summary>
    public long Seed { get; init; } = CalibrationSection.DefaultSeed;

    /// <summary>
    /// Gets how many selection windows to draw besides the calibration windows, sharing no token with them, for an
    /// allocator that compares plans on data the solvers were not fitted to; 0 draws none.
    /// </summary>
    public int SelectionSamples { get; init; }

    /// <summary>Gets the width in bytes of one id in a <see cref="RecipeCalibrationFormat.Tokens"/> file: 2 (uint16) or 4 (uint32).</summary>
    public int TokenWidth { get; init; } = CalibrationSection.DefaultTokenWidth;
}
