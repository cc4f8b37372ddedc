using System;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace A3.Sdk;

/// <summary>Stops child processes: politely first (SIGINT, as Ctrl+C would), then for good (the whole tree).</summary>
internal static class ProcessSignals
{
    private const int SigInt = 2;

    /// <summary>Sends SIGINT to <paramref name="process"/>; returns <see langword="false"/> where signals do not exist (Windows) or sending failed.</summary>
    public static bool TryInterrupt(Process process)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return false;
        }

        try
        {
            return Kill(process.Id, SigInt) == 0;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Kills <paramref name="process"/> and its descendants.</summary>
    public static void KillTree(Process process)
    {
        // Process.Kill(bool entireProcessTree) exists on every .NET that runs MSBuild (.NET Core 3.0 on) but not
        // in netstandard2.0, which this assembly targets so that .NET Framework MSBuild loads it too.
        var killTree = typeof(Process).GetMethod(nameof(Process.Kill), new[] { typeof(bool) });
        try
        {
            if (killTree is null)
            {
                process.Kill();
            }
            else
            {
                killTree.Invoke(process, new object[] { true });
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or TargetInvocationException { InnerException: InvalidOperationException })
        {
            // It exited in the meantime.
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
