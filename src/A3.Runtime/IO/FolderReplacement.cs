namespace A3.Runtime.IO;

/// <summary>
/// Puts a folder built beside its destination into place so that readers see either the old complete folder or
/// the new complete one, never half of either, and cleans up what a failure leaves. Every artifact A3 writes (model
/// folders, cache entries, materialised copies) is published this way.
/// </summary>
internal static class FolderReplacement
{
    /// <summary>Returns a fresh hidden sibling of <paramref name="target"/> to build in: <c>.&lt;name&gt;.tmp-&lt;guid&gt;</c>, never mistaken for an artifact.</summary>
    /// <param name="target">The full path of the destination.</param>
    /// <returns>The temporary folder's path; not created.</returns>
    public static string TemporarySibling(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.tmp-{Guid.NewGuid():N}");

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

        var aside = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.old-{Guid.NewGuid():N}");
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
}
