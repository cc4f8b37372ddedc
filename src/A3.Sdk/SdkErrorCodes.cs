namespace A3.Sdk;

/// <summary>Diagnostic codes of the MSBuild integration (A33xx); the runtime's are A30xx, the recipe's A31xx.</summary>
internal static class SdkErrorCodes
{
    /// <summary>An <c>A3Compress</c> item's <c>OutputPath</c> is absolute or leaves the output directory.</summary>
    public const string InvalidOutputPath = "A3301";

    /// <summary>Two <c>A3Compress</c> items would write the same output folder.</summary>
    public const string DuplicateOutputPath = "A3302";

    /// <summary>The compressor failed without saying why on its error stream.</summary>
    public const string CompressorFailed = "A3303";

    /// <summary>The compressor could not be started.</summary>
    public const string CompressorNotStarted = "A3304";

    /// <summary>The compressor succeeded but left no output folder.</summary>
    public const string OutputMissing = "A3305";
}
