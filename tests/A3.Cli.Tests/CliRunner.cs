using System.Diagnostics;

namespace A3.Cli.Tests;

/// <summary>Runs the built <c>a3</c> command as a separate process, as users and the MSBuild task do.</summary>
internal static class CliRunner
{
    /// <summary>Gets the path of <c>a3.dll</c> beside the test assembly.</summary>
    public static string CliPath { get; } = Path.Combine(AppContext.BaseDirectory, "a3.dll");

    /// <summary>Starts <c>a3</c> with the given arguments and environment overrides, in <paramref name="workingDirectory"/> when given.</summary>
    public static Process Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        info.ArgumentList.Add(CliPath);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Runs that do not name their caches use ones inside the test output, never the user's.
        info.Environment["A3_ARTIFACT_CACHE"] = Path.Combine(AppContext.BaseDirectory, "a3-test-cache", "artifacts");
        info.Environment["A3_STATS_CACHE"] = Path.Combine(AppContext.BaseDirectory, "a3-test-cache", "statistics");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
    }

    /// <summary>Runs <c>a3</c> to completion (with a generous timeout) and returns its exit code and output.</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, int timeoutSeconds = 300, string? workingDirectory = null)
    {
        using var process = Start(arguments, environment, workingDirectory);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"a3 {string.Join(' ', arguments)} did not finish in {timeoutSeconds}s");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>The outcome of one <c>a3</c> run.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);
