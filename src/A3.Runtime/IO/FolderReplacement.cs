using System.Diagnostics;

namespace A3.Runtime.IO;

/// <summary>
/// Puts a folder built beside its destination into place so that readers see either the old complete folder or
/// the new complete one, never half of either, and cleans up what a failure leaves. Every artifact A3 writes (model
/// folders, cache entries, materialised copies) is published this way.
/// </summary>
/// <remarks>
/// The hidden siblings carry the id of the process that made them (<c>.&lt;name&gt;.tmp-&lt;pid&gt;-&lt;guid&gt;</c>,
/// <c>.&lt;name&gt;.old-&lt;pid&gt;-&lt;guid&gt;</c>), so the next run for the same destination can tell the leftovers of a
/// killed run from the folders of a run still going, and recover only the former (<see cref="RecoverLeftovers"/>).
/// </remarks>
internal static class FolderReplacement
{
    /// <summary>What follows the destination's name in the name of a folder being built.</summary>
    private const string TemporaryMarker = ".tmp-";

    /// <summary>What follows the destination's name in the name of a replaced folder waiting to be deleted.</summary>
    private const string AsideMarker = ".old-";

    /// <summary>Returns a fresh hidden sibling of <paramref name="target"/> to build in, never mistaken for an artifact.</summary>
    /// <param name="target">The full path of the destination.</param>
    /// <returns>The temporary folder's path; not created.</returns>
    public static string TemporarySibling(string target) => Sibling(target, TemporaryMarker);

    /// <summary>
    /// Renames the complete folder <paramref name="temporary"/> to <paramref name="target"/>. An existing target steps
    /// aside first and is deleted only once the new folder is in place; if the rename fails, it is put back.
    /// </summary>
    /// <param name="temporary">The complete new folder, a sibling of <paramref name="target"/>.</param>
    /// <param name="target">The destination.</param>
    public static void Commit(string temporary, string target)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(temporary, target);
            return;
        }

        var aside = Sibling(target, AsideMarker);
        Directory.Move(target, aside);
        try
        {
            Directory.Move(temporary, target);
        }
        catch
        {
            Directory.Move(aside, target);
            throw;
        }

        // The new folder is complete and in place; an old copy that cannot be deleted now is only wasted space.
        DeleteQuietly(aside);
    }

    /// <summary>
    /// Recovers what killed runs left beside <paramref name="target"/>: when a run was killed between the two renames of
    /// <see cref="Commit"/>, the previous folder waits aside and the destination is missing, so it is put back; every
    /// other leftover is deleted. Folders of runs still going (this process's included) are left alone.
    /// </summary>
    /// <param name="target">The full path of the destination.</param>
    public static void RecoverLeftovers(string target)
    {
        var parent = Path.GetDirectoryName(target);
        if (parent is null || !Directory.Exists(parent))
        {
            return;
        }

        var asides = Leftovers(parent, Path.GetFileName(target), AsideMarker);
        if (!Directory.Exists(target) && !File.Exists(target)
            && asides.OrderByDescending(Directory.GetLastWriteTimeUtc).FirstOrDefault() is { } previous)
        {
            try
            {
                Directory.Move(previous, target);
                asides.Remove(previous);
            }
            catch (IOException)
            {
                // Another run recovered it first, or took the name; the leftover is deleted below as any other.
            }
        }

        foreach (var leftover in asides.Concat(Leftovers(parent, Path.GetFileName(target), TemporaryMarker)))
        {
            DeleteQuietly(leftover);
        }
    }

    /// <summary>Deletes <paramref name="folder"/> when it exists, ignoring failures: cleanup must not hide the exception that triggered it.</summary>
    /// <param name="folder">The folder.</param>
    public static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // Leftovers keep their hidden .tmp- or .old- names and are never read as artifacts.
        }
        catch (UnauthorizedAccessException)
        {
            // Same reason as above.
        }
    }

    private static string Sibling(string target, string marker) =>
        Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}{marker}{Environment.ProcessId}-{Guid.NewGuid():N}");

    /// <summary>The hidden siblings of <paramref name="name"/> with <paramref name="marker"/> whose process is gone; never a link, which no run makes.</summary>
    private static List<string> Leftovers(string parent, string name, string marker)
    {
        var prefix = $".{name}{marker}";
        return Directory.EnumerateDirectories(parent)
            .Where(folder => Path.GetFileName(folder).StartsWith(prefix, StringComparison.Ordinal))
            .Where(folder => new DirectoryInfo(folder).LinkTarget is null && !OwnerIsRunning(Path.GetFileName(folder)[prefix.Length..]))
            .ToList();
    }

    /// <summary>
    /// Whether the process named at the start of <paramref name="suffix"/> (<c>&lt;pid&gt;-&lt;guid&gt;</c>) still runs; this
    /// process counts as running. A name without an id (written before ids were added) has no owner to wait for.
    /// </summary>
    internal static bool OwnerIsRunning(string suffix)
    {
        var dash = suffix.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !int.TryParse(suffix.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        if (id == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(id);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
