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

    /// <summary>
    /// Sets the process's peak resident memory back to its current resident memory (Linux's <c>clear_refs</c> value 5),
    /// so the next <see cref="ProcessPeakResidentBytes"/> is the peak of the work done in between. Memory freed
    /// earlier but still held by the allocators counts as resident, so such a peak is an upper bound.
    /// </summary>
    /// <returns>Whether the kernel took the reset; <see langword="false"/> where it is not offered (not Linux, or an old kernel).</returns>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
