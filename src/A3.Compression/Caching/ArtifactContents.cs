using A3.Recipes;
using A3.Runtime;
using A3.Runtime.IO;
using A3.Runtime.Reporting;

namespace A3.Compression.Caching;

/// <summary>
/// What a cache entry, and a folder materialised from one, must hold: its manifest and exactly the files the manifest
/// lists, each a regular file (no link, no folder) with the hash it was stored with; and the list must name every file
/// a compressed model folder needs (configuration, weights, report). Model folders are flat except for one subfolder,
/// the ONNX export (<see cref="ModelFiles.OnnxFolderName"/>), whose files are listed as <c>onnx/NAME</c>. The cache serves an entry and <c>a3 verify</c>
/// passes a folder only when this finds nothing.
/// </summary>
internal static class ArtifactContents
{
    /// <summary>
    /// Lists what is wrong with <paramref name="folder"/> against <paramref name="manifest"/>, the cheap checks of names
    /// and kinds before any file is hashed, so a caller that only needs the first problem reads no weights for it.
    /// </summary>
    /// <param name="manifest">The folder's manifest.</param>
    /// <param name="folder">The entry or materialised folder.</param>
    /// <returns>One phrase per problem, each naming the file (<c>model.safetensors changed</c>); empty when the folder is sound.</returns>
    public static IEnumerable<string> Problems(ArtifactManifest manifest, string folder)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var output in manifest.Outputs)
        {
            if (!IsListable(output.File) || output.File == ArtifactManifest.FileName)
            {
                yield return $"the manifest lists '{output.File}', which is not a file name of a model folder";
            }
            else if (!listed.Add(output.File))
            {
                yield return $"the manifest lists {output.File} twice";
            }
        }

        foreach (var required in RequiredFiles(listed))
        {
            yield return $"the manifest does not list {required}";
        }

        foreach (var entry in Entries(folder, listed))
        {
            var info = new FileInfo(Path.Combine(folder, entry));
            if (entry != ArtifactManifest.FileName && !listed.Contains(entry))
            {
                yield return $"{entry} is not listed in the manifest";
            }
            else if (info.LinkTarget is not null)
            {
                yield return $"{entry} is a link, not a file";
            }
            else if (!info.Exists)
            {
                yield return $"{entry} is a folder, not a file";
            }
        }

        foreach (var output in manifest.Outputs.Where(output => IsListable(output.File)))
        {
            var path = Path.Combine(folder, output.File);
            var info = new FileInfo(path);
            if (!info.Exists && !Directory.Exists(path))
            {
                yield return $"{output.File} is missing";
            }
            else if (info.Exists && info.LinkTarget is null && FileHashing.Sha256File(path) != output.Sha256)
            {
                yield return $"{output.File} changed";
            }
        }

        foreach (var problem in ShardProblems(folder, listed))
        {
            yield return problem;
        }
    }

    /// <summary>Lists the files of <paramref name="folder"/> other than the manifest, with their hashes, sorted: what a manifest records.</summary>
    /// <param name="folder">A model folder just written.</param>
    /// <returns>The outputs.</returns>
    public static List<ArtifactOutput> Hash(string folder) =>
        Entries(folder, expandSubfolder: true)
            .Where(name => name != ArtifactManifest.FileName && File.Exists(Path.Combine(folder, name)))
            .Select(name => new ArtifactOutput(name, FileHashing.Sha256File(Path.Combine(folder, name))))
            .ToList();

    /// <summary>The entries of <paramref name="folder"/> by relative name, in ordinal order, expanding the ONNX subfolder when the manifest lists files in it.</summary>
    private static IEnumerable<string> Entries(string folder, HashSet<string> listed) =>
        Entries(folder, listed.Any(name => name.StartsWith(ModelFiles.OnnxFolderName + "/", StringComparison.Ordinal)));

    /// <summary>
    /// The entries of <paramref name="folder"/> by relative name, in ordinal order: its own, and with
    /// <paramref name="expandSubfolder"/> those of the ONNX subfolder (a real folder, not a link) in its place.
    /// </summary>
    private static IEnumerable<string> Entries(string folder, bool expandSubfolder)
    {
        var prefix = ModelFiles.OnnxFolderName + "/";
        var subfolder = Path.Combine(folder, ModelFiles.OnnxFolderName);
        expandSubfolder &= new DirectoryInfo(subfolder) is { Exists: true, LinkTarget: null };
        var entries = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>();
        if (expandSubfolder)
        {
            entries = entries
                .Where(name => name != ModelFiles.OnnxFolderName)
                .Concat(Directory.EnumerateFileSystemEntries(subfolder).Select(path => prefix + Path.GetFileName(path)));
        }

        return entries.Order(StringComparer.Ordinal);
    }

    /// <summary>The files every compressed model folder has that <paramref name="listed"/> lacks: configuration, report, and weights in one file or with an index.</summary>
    private static IEnumerable<string> RequiredFiles(HashSet<string> listed)
    {
        foreach (var required in new[] { ModelFolderWriter.ConfigFileName, CompressionReportFile.FileName })
        {
            if (!listed.Contains(required))
            {
                yield return required;
            }
        }

        if (!listed.Contains(SafetensorsWeightSource.SingleFileName) && !listed.Contains(SafetensorsIndex.FileName))
        {
            yield return $"{SafetensorsWeightSource.SingleFileName} (or {SafetensorsIndex.FileName})";
        }
    }

    /// <summary>The shards a listed weight index names that the manifest does not list; read only after the index's own hash was checked.</summary>
    private static IEnumerable<string> ShardProblems(string folder, HashSet<string> listed)
    {
        var index = Path.Combine(folder, SafetensorsIndex.FileName);
        if (!listed.Contains(SafetensorsIndex.FileName) || !File.Exists(index))
        {
            return [];
        }

        try
        {
            return SafetensorsIndex.Read(index).WeightMap.Values
                .Distinct(StringComparer.Ordinal)
                .Where(shard => !listed.Contains(shard))
                .Order(StringComparer.Ordinal)
                .Select(shard => $"the manifest does not list {shard}, a shard {SafetensorsIndex.FileName} names")
                .ToList();
        }
        catch (A3InputException exception)
        {
            return [$"{SafetensorsIndex.FileName} is unreadable: {exception.Message}"];
        }
    }

    /// <summary>Whether a manifest may list <paramref name="name"/>: a file directly in the folder, or directly in its ONNX subfolder.</summary>
    private static bool IsListable(string name) =>
        IsPlainName(name)
        || (name.StartsWith(ModelFiles.OnnxFolderName + "/", StringComparison.Ordinal) && IsPlainName(name[(ModelFiles.OnnxFolderName.Length + 1)..]));

    /// <summary>Whether <paramref name="name"/> names a file directly in a folder.</summary>
    private static bool IsPlainName(string name) =>
        name.Length > 0 && name is not "." and not ".." && Path.GetFileName(name) == name && name.IndexOfAny(['/', '\\']) < 0;
}
