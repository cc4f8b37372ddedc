using System.Globalization;

namespace A3.Runtime.Benchmarks;

/// <summary>How busy the machine is, as the kernel reports it: timings taken on a shared machine are read against it.</summary>
public static class SystemLoad
{
    /// <summary>
    /// Returns the one-minute load average (the first field of <c>/proc/loadavg</c>): runnable processes averaged over
    /// the last minute, this one included, so above the processor count other work was slowing the measurement down.
    /// <see langword="null"/> where the kernel does not report it (not Linux).
    /// </summary>
    /// <returns>The load average, or <see langword="null"/>.</returns>
    public static double? OneMinuteAverage()
    {
        const string LoadFile = "/proc/loadavg";
        if (!File.Exists(LoadFile))
        {
            return null;
        }

        var fields = File.ReadAllText(LoadFile).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 0 && double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : null;
    }
}
