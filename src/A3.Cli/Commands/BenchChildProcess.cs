using System.Diagnostics;
using System.Reflection;

namespace A3.Cli.Commands;

/// <summary>
/// Runs this program again as a child process, as the benchmarks do for each measured row, so that each row's peak
/// memory is its own process's.
/// </summary>
internal static class BenchChildProcess
{
    /// <summary>Runs <c>a3</c> with <paramref name="arguments"/> to its end and returns its exit code.</summary>
    /// <param name="arguments">The child's command line after the program.</param>
    /// <param name="what">What the child measures, for the message when it is interrupted.</param>
    /// <param name="cancellationToken">Kills the child (and its own children) and rethrows when cancelled.</param>
    /// <returns>The exit code of a child that ended by itself.</returns>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="cancellationToken"/> was cancelled, or the child was interrupted: a Ctrl+C at a terminal reaches the whole
    /// process group, so the child may stop first.
    /// </exception>
    public static async Task<int> RunAsync(IEnumerable<string> arguments, string what, CancellationToken cancellationToken)
    {
        // The child reads no input. With the terminal as its stdin, .NET would leave Ctrl+C to the child and stop
        // delivering SIGINT to this process while it runs.
        var start = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown"))
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
        };

        // Run as `dotnet a3.dll …`, the child needs the entry assembly; run as the `a3` apphost, it does not.
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        child.StandardInput.Close();
        try
        {
            await child.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        return child.ExitCode is ExitCodes.Cancelled or ExitCodes.Terminated
            ? throw new OperationCanceledException($"the benchmark of {what} was interrupted")
            : child.ExitCode;
    }
}
