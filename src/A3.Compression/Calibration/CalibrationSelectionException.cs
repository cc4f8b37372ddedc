using A3.Runtime;

namespace A3.Compression.Calibration;

/// <summary>
/// The calibration options select too little of a readable file to draw one window; names the
/// <see cref="CalibrationOptions"/> property to change, so a caller holding the options' source
/// (a recipe) can point at the line that sets it.
/// </summary>
public sealed class CalibrationSelectionException : A3InputException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What the selection holds and what one window needs.</param>
    /// <param name="filePath">The calibration file.</param>
    /// <param name="option">The <see cref="CalibrationOptions"/> property to change: <c>Skip</c>, <c>Take</c> or <c>SequenceLength</c>.</param>
    public CalibrationSelectionException(string message, string filePath, string option)
        : base(A3ErrorCodes.InvalidData, message, filePath)
    {
        Option = option;
    }

    /// <summary>Gets the <see cref="CalibrationOptions"/> property to change.</summary>
    public string Option { get; }
}
