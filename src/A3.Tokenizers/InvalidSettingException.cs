namespace A3;

/// <summary>
/// A setting has a value the operation cannot use. The setting is named structurally, by its recipe key
/// (<c>calibration.sequence_length</c>, <c>compression.budget</c>, <c>device</c>) or, for settings recipes do
/// not have, by a name in the same style (<c>temperature</c>), so each caller can point at it in its own
/// terms: the command line as the option that sets it, a recipe run as the YAML line and column that sets it.
/// </summary>
public sealed class InvalidSettingException : A3InputException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="setting">The setting at fault, spelled as its recipe key.</param>
    /// <param name="problem">What is wrong with its value, worded to follow the setting's name: <c>must be 1 or more, got 0</c>.</param>
    /// <param name="code">The diagnostic code; <see cref="A3ErrorCodes.InvalidSetting"/> unless the value fails against a file's content (<see cref="A3ErrorCodes.InvalidData"/>) or needs what the tokenizer lacks (<see cref="A3ErrorCodes.InvalidTokenizer"/>).</param>
    /// <param name="filePath">The file the value was checked against, when there is one.</param>
    public InvalidSettingException(string setting, string problem, string code = A3ErrorCodes.InvalidSetting, string? filePath = null)
        : base(code, $"'{setting}' {problem}", filePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(setting);
        ArgumentException.ThrowIfNullOrEmpty(problem);
        Setting = setting;
        Problem = problem;
    }

    /// <summary>Gets the setting at fault, spelled as its recipe key.</summary>
    public string Setting { get; }

    /// <summary>Gets what is wrong with the value, worded to follow the setting's name.</summary>
    public string Problem { get; }
}
