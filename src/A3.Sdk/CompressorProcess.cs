using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace A3.Sdk;

/// <summary>
/// A running compressor: its stdout and stderr merged into one stream of lines for the task to log on
/// its own thread, and a <see cref="Stop"/> that interrupts it, then kills its process tree when it does
/// not exit within a grace period.
/// </summary>
internal sealed class CompressorProcess : IDisposable
{
    private readonly Process process;
    private readonly BlockingCollection<string> lines = new();
    private readonly object gate = new();
    private int openStreams = 2;
    private Timer? killTimer;
    private bool disposed;

    private CompressorProcess(Process process)
    {
        this.process = process;
    }

    /// <summary>Starts <paramref name="startInfo"/> with both output streams redirected.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started.</exception>
    public static CompressorProcess Start(ProcessStartInfo startInfo)
    {
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.CreateNoWindow = true;
        var process = new Process { StartInfo = startInfo };
        var result = new CompressorProcess(process);
        process.OutputDataReceived += (_, e) => result.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => result.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Gets the process id.</summary>
    public int Id => process.Id;

    /// <summary>Yields every line the process prints, in arrival order, until both streams close.</summary>
    public IEnumerable<string> ReadLines() => lines.GetConsumingEnumerable();

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public int WaitForExit()
    {
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Asks the process to stop (SIGINT) and kills its tree if it is still running after <paramref name="grace"/>.</summary>
    public void Stop(TimeSpan grace)
    {
        lock (gate)
        {
            if (disposed || process.HasExited || killTimer is not null)
            {
                return;
            }

            if (!ProcessSignals.TryInterrupt(process))
            {
                ProcessSignals.KillTree(process);
                return;
            }

            killTimer = new Timer(_ => Kill(), null, grace, Timeout.InfiniteTimeSpan);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            killTimer?.Dispose();
            process.Dispose();
            lines.Dispose();
        }
    }

    private void Kill()
    {
        lock (gate)
        {
            if (!disposed && !process.HasExited)
            {
                ProcessSignals.KillTree(process);
            }
        }
    }

    private void OnLine(string? line)
    {
        if (line is not null)
        {
            lines.Add(line);
        }
        else if (Interlocked.Decrement(ref openStreams) == 0)
        {
            lines.CompleteAdding();
        }
    }
}
