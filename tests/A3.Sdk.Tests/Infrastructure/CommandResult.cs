namespace A3.Sdk.Tests.Infrastructure;

/// <summary>The outcome of a finished <c>dotnet</c> command.</summary>
/// <param name="Command">The command line, for messages.</param>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Output">Standard output and standard error, interleaved as they arrived.</param>
/// <param name="Elapsed">Wall-clock time from start to exit.</param>
internal sealed record CommandResult(string Command, int ExitCode, string Output, TimeSpan Elapsed)
{
    /// <summary>Throws with the whole output unless the command succeeded.</summary>
    public CommandResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"'{Command}' exited with {ExitCode}:{Environment.NewLine}{Output}");
        }

        return this;
    }

    /// <inheritdoc />
    public override string ToString() => $"'{Command}' exited with {ExitCode} after {Elapsed.TotalSeconds:F1}s:{Environment.NewLine}{Output}";
}
