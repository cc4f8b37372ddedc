using System.Diagnostics;
using System.Text;

namespace A3.Sdk.Tests.Infrastructure;

/// <summary>
/// A <c>dotnet</c> child process with its output collected line by line. Builds run in-process on one node
/// with no node reuse and no shared compiler, so nothing outlives the test and environment variables set
/// here reach the compressor the build starts.
/// </summary>
internal sealed class DotNetProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly Stopwatch stopwatch = Stopwatch.StartNew();
    private readonly string command;

    private DotNetProcess(Process process, string command)
    {
        this.process = process;
        this.command = command;
    }

    /// <summary>Raised for every line of output, on a thread-pool thread.</summary>
    public event Action<string>? LineReceived;

    /// <summary>Gets the process id.</summary>
    public int Id => process.Id;

    /// <summary>Starts <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static DotNetProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The test host runs under dotnet test, whose MSBuild variables would point the child build at the
        // outer build's MSBuild; the child must find its own.
        foreach (var name in startInfo.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k == "DOTNET_HOST_PATH").ToList())
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        startInfo.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var result = new DotNetProcess(process, "dotnet " + string.Join(' ', startInfo.ArgumentList));
        process.OutputDataReceived += (_, e) => result.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => result.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Waits for the process to exit; kills it and throws when <paramref name="timeout"/> passes first.</summary>
    public CommandResult WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"'{command}' did not finish within {timeout.TotalSeconds:F0}s:{Environment.NewLine}{Output}");
        }

        // The parameterless overload also waits for the output streams to drain.
        process.WaitForExit();
        return new CommandResult(command, process.ExitCode, Output, stopwatch.Elapsed);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }

    private string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }

        LineReceived?.Invoke(line);
    }
}
