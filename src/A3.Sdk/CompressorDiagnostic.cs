namespace A3.Sdk;

/// <summary>An error or warning the compressor printed, as the build log should show it.</summary>
internal sealed class CompressorDiagnostic
{
    /// <summary>Initializes a new instance of the <see cref="CompressorDiagnostic"/> class.</summary>
    public CompressorDiagnostic(bool isError, string? code, string message, string? file, int line, int column)
    {
        IsError = isError;
        Code = code;
        Message = message;
        File = file;
        Line = line;
        Column = column;
    }

    /// <summary>Gets a value indicating whether this is an error (else a warning).</summary>
    public bool IsError { get; }

    /// <summary>Gets the <c>A3xxx</c> code, or <see langword="null"/> when the line had none.</summary>
    public string? Code { get; }

    /// <summary>Gets the message.</summary>
    public string Message { get; }

    /// <summary>Gets the file the diagnostic points at, or <see langword="null"/>.</summary>
    public string? File { get; }

    /// <summary>Gets the 1-based line, or 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>Gets the 1-based column, or 0 when unknown.</summary>
    public int Column { get; }
}
