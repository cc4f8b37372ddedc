namespace A3.Cli;

/// <summary>Diagnostic codes of the <c>a3</c> command line itself; the library's are in A3ErrorCodes and RecipeErrorCodes.</summary>
internal static class CliErrorCodes
{
    /// <summary>A command-line option is missing, unknown, malformed, or contradicts another option.</summary>
    public const string InvalidOption = "A3001";
}
