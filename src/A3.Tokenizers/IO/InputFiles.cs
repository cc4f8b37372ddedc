using A3.Recipes;

namespace A3.IO;

/// <summary>The check every input file goes through before it is opened: it is there, and it is a regular file with content.</summary>
public static class InputFiles
{
    /// <summary>
    /// Throws unless <paramref name="path"/> is a regular file with content (see <see cref="InputFile.Problem"/>):
    /// reading a device never ends and opening a pipe blocks, so neither may reach a reader.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="missing">The message when nothing is at <paramref name="path"/>, saying what was expected there.</param>
    /// <exception cref="A3InputException"><see cref="A3ErrorCodes.FileNotFound"/>, naming <paramref name="path"/>.</exception>
    public static void Require(string path, string missing)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (InputFile.Problem(path) is { } problem)
        {
            throw new A3InputException(A3ErrorCodes.FileNotFound, $"{Path.GetFileName(path)} {problem}", path);
        }

        if (!File.Exists(path))
        {
            throw new A3InputException(A3ErrorCodes.FileNotFound, missing, path);
        }
    }
}
