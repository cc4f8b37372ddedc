using A3.Compression.Calibration;
using A3.Runtime.Model;

namespace A3.Cli.Commands;

/// <summary>What the pre-flight of a recipe opened and drew, handed on to the compression so nothing is read twice.</summary>
/// <param name="Checkpoint">The model, opened and checked against its configuration; owned.</param>
/// <param name="Calibration">The calibration windows.</param>
/// <param name="Summary">The one-line summary of what was checked.</param>
internal sealed record PreparedRecipe(ModelCheckpoint Checkpoint, CalibrationSet Calibration, string Summary) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Checkpoint.Dispose();
}
