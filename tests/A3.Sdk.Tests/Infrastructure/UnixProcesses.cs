using System.Runtime.InteropServices;

namespace A3.Sdk.Tests.Infrastructure;

/// <summary>Signals and liveness checks for processes the tests did not start themselves.</summary>
internal static class UnixProcesses
{
    private const int SigInt = 2;

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public static void Interrupt(int pid)
    {
        if (Kill(pid, SigInt) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, SIGINT) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Returns whether a process with id <paramref name="pid"/> exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        var status = $"/proc/{pid}/status";
        return File.Exists(status) && !File.ReadLines(status).Any(line => line.StartsWith("State:", StringComparison.Ordinal) && line.Contains("zombie", StringComparison.Ordinal));
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
