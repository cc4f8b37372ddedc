namespace A3;

/// <summary>
/// Bad input from the user (a malformed file, an unsupported configuration, a wrong option):
/// a value with a code, a message and the file it concerns. The CLI prints it as one line and
/// exits with code 2; the MSBuild task turns it into a build error.
/// </summary>
public class A3InputException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="code">The diagnostic code, one of <see cref="A3ErrorCodes"/>.</param>
    /// <param name="message">What is wrong and, where useful, what was expected.</param>
    /// <param name="filePath">The file concerned, when there is one.</param>
    /// <param name="inner">The underlying error, when there is one.</param>
    public A3InputException(string code, string message, string? filePath = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        FilePath = filePath;
    }

    /// <summary>Gets the diagnostic code (<c>A3xxx</c>).</summary>
    public string Code { get; }

    /// <summary>Gets the file the error concerns, when there is one.</summary>
    public string? FilePath { get; }

    /// <summary>Formats the error as <c>file: error A3xxx: message</c> (MSBuild canonical form).</summary>
    public string ToDiagnosticString() =>
        FilePath is null ? $"error {Code}: {Message}" : $"{FilePath}: error {Code}: {Message}";
}
