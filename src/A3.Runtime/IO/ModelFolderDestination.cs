namespace A3.Runtime.IO;

/// <summary>
/// Where a model folder may be written. Kept apart from <see cref="ModelFolderWriter"/>, which needs TorchSharp, so a
/// caller can refuse a bad destination before a long job starts without loading libtorch.
/// </summary>
public static class ModelFolderDestination
{
    /// <summary>The setting the destination comes from, named in <see cref="InvalidSettingException"/>; callers set it, recipes do not.</summary>
    public const string Setting = "output";

    /// <summary>Checks that <paramref name="folder"/> can receive a model folder: it must not be an existing file.</summary>
    /// <param name="folder">The model folder to create or replace.</param>
    /// <returns>Its full path, without a trailing separator.</returns>
    /// <exception cref="InvalidSettingException">The path names an existing file.</exception>
    public static string Check(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var target = Path.GetFullPath(folder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        if (File.Exists(target))
        {
            throw new InvalidSettingException(Setting, "is an existing file, not a folder", filePath: target);
        }

        return target;
    }
}
