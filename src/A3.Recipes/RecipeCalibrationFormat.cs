namespace A3.Recipes;

/// <summary>How a calibration file is read.</summary>
public enum RecipeCalibrationFormat
{
    /// <summary>Documents split at the separator (<c>documents</c>).</summary>
    Documents,

    /// <summary>One continuous text (<c>text</c>).</summary>
    Text,

    /// <summary>Little-endian token ids (<c>tokens</c>).</summary>
    Tokens,
}
