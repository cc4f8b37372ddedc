using System;
using System.IO;
using System.Reflection;

namespace A3.Recipes;

/// <summary>
/// Whether a path names a file that can be read as input. A device, a pipe or a socket passes
/// <see cref="File.Exists(string)"/>, yet reading <c>/dev/zero</c> never ends and opening a pipe blocks until a writer
/// comes; a symbolic link that leads nowhere passes it too and then fails to open. Every input a recipe or an option
/// names is checked here before it is opened.
/// </summary>
public static class InputFile
{
    /// <summary>
    /// <c>FileSystemInfo.ResolveLinkTarget(bool)</c> of .NET 6 and later. This library targets netstandard2.0 for the
    /// source generator and the MSBuild task, and every host that reads model and data files runs on .NET; where the
    /// method is absent, a link is judged by what it points at as the platform reports it.
    /// </summary>
    private static readonly MethodInfo? ResolveLinkTarget = typeof(FileSystemInfo).GetMethod("ResolveLinkTarget", new[] { typeof(bool) });

    /// <summary>
    /// Returns why <paramref name="path"/> cannot be read as an input file, or <see langword="null"/> when it is a
    /// regular file with content, a folder, or nothing at all (callers say how a missing input reads).
    /// </summary>
    /// <param name="path">The path, absolute or relative to the current folder.</param>
    /// <returns>The problem, phrased to follow the path (<c>"is …"</c>), or <see langword="null"/>.</returns>
    /// <remarks>
    /// The platform does not tell a device, a pipe or a socket from a regular file, but all of them report a size of
    /// 0, so an empty file is refused with them: no input of A3 is empty.
    /// </remarks>
    public static string? Problem(string path)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        FileInfo file;
        try
        {
            file = new FileInfo(path);

            // A path with nothing there reads as every attribute at once (-1).
            if ((int)file.Attributes == -1)
            {
                return null;
            }

            if ((file.Attributes & FileAttributes.ReparsePoint) != 0 && ResolveLinkTarget is not null)
            {
                if (ResolveLinkTarget.Invoke(file, new object[] { true }) is not FileSystemInfo target || !target.Exists)
                {
                    return Nowhere;
                }

                file = new FileInfo(target.FullName);
            }
        }
        catch (TargetInvocationException exception) when (exception.InnerException is IOException)
        {
            // Links that lead to each other.
            return Nowhere;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }

        return file.Exists && file.Length == 0 ? "is empty or not a regular file (a device, a pipe or a socket)" : null;
    }

    private static string Nowhere => "is a symbolic link that leads nowhere (its target is missing, or the links form a loop)";
}
