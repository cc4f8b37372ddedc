namespace A3.Compression.Calibration;

/// <summary>How a calibration file is read.</summary>
public enum CalibrationFormat
{
    /// <summary>Text of documents separated by <see cref="CalibrationOptions.Separator"/>; each document is encoded as <c>[BOS] + encode(document)</c>.</summary>
    Documents,

    /// <summary>One text, line endings normalised to <c>\n</c>, encoded once without BOS.</summary>
    Text,

    /// <summary>Already-tokenised ids: unsigned little-endian integers of <see cref="CalibrationOptions.TokenWidth"/> bytes, no header.</summary>
    Tokens,
}
