using System.Globalization;

namespace A3.Runtime.Benchmarks;

/// <summary>The process's peak resident memory, as the kernel keeps it.</summary>
public static class PeakMemory
{
    /// <summary>
    /// Returns the peak resident set size of this process so far (<c>VmHWM</c> of <c>/proc/self/status</c>), in bytes,
    /// or <see langword="null"/> where the kernel does not report it (not Linux). It covers the whole process, native
    /// (libtorch) allocations included, and never decreases: a figure read after several runs is the largest of them.
    /// </summary>
    /// <returns>Bytes, or <see langword="null"/>.</returns>
    public static long? ProcessPeakResidentBytes()
    {
        const string StatusFile = "/proc/self/status";
        if (!File.Exists(StatusFile))
        {
            return null;
        }

        foreach (var line in File.ReadLines(StatusFile))
        {
            // The line reads "VmHWM:" then tabs or spaces, the size, and "kB".
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var parts = line["VmHWM:".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return null;
    }
}
