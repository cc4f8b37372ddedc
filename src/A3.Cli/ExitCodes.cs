namespace A3.Cli;

/// <summary>Process exit codes of the <c>a3</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>An unexpected failure (a bug or an environment problem); details on stderr.</summary>
    public const int InternalError = 1;

    /// <summary>Bad input: a wrong option, a missing or malformed file; one line on stderr says why.</summary>
    public const int InvalidInput = 2;

    /// <summary>The native TorchSharp backend could not be loaded.</summary>
    public const int NativeBackendUnavailable = 3;

    /// <summary><c>a3 verify</c>: the folder is not the artifact its recipe and inputs produce now.</summary>
    public const int Differs = 4;

    /// <summary>Cancelled by the user (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;

    /// <summary>Stopped by SIGTERM, as shells report it.</summary>
    public const int Terminated = 143;
}
