using System.Diagnostics;
using A3.Runtime.Model;
using A3.Runtime.Progress;

namespace A3.Runtime.Benchmarks;

/// <summary>
/// A preset's synthetic checkpoint written to a scratch folder for the length of a benchmark, and deleted with this
/// instance, so every measurement of a row (runtime, compression, inference) reads the same files.
/// </summary>
public sealed class SyntheticCheckpoint : IDisposable
{
    private SyntheticCheckpoint(SyntheticModelPreset preset, ModelConfig config, string folder, long bytes, double writeSeconds)
    {
        Preset = preset;
        Config = config;
        Folder = folder;
        Bytes = bytes;
        WriteSeconds = writeSeconds;
    }

    /// <summary>Gets the preset the checkpoint has the shapes of.</summary>
    public SyntheticModelPreset Preset { get; }

    /// <summary>Gets the checkpoint's configuration.</summary>
    public ModelConfig Config { get; }

    /// <summary>Gets the model folder.</summary>
    public string Folder { get; }

    /// <summary>Gets the size of the folder's files.</summary>
    public long Bytes { get; }

    /// <summary>Gets the seconds it took to generate and write the checkpoint.</summary>
    public double WriteSeconds { get; }

    /// <summary>Writes <paramref name="preset"/> at <paramref name="options"/>' layers, seed and storage dtype in a new folder under <paramref name="scratchFolder"/>.</summary>
    /// <param name="preset">The shapes.</param>
    /// <param name="tokenizerSourcePath">The preset's tokenizer folder or file (its <see cref="SyntheticModelPreset.TokenizerFixture"/> resolved).</param>
    /// <param name="scratchFolder">A folder for the checkpoint; created when missing, left in place.</param>
    /// <param name="options">Layers, seed and storage dtype.</param>
    /// <param name="progress">Told each tensor written, as <c>&lt;preset&gt; write …</c>.</param>
    /// <param name="cancellationToken">Checked before each tensor; a cancelled write leaves nothing behind.</param>
    /// <returns>The checkpoint; dispose it to delete the folder.</returns>
    /// <exception cref="A3InputException">The tokenizer source holds no tokenizer.</exception>
    public static SyntheticCheckpoint Create(
        SyntheticModelPreset preset,
        string tokenizerSourcePath,
        string scratchFolder,
        SyntheticBenchmarkOptions options,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(options);
        var config = preset.ToConfig(options.Layers);
        var folder = Path.Combine(Path.GetFullPath(scratchFolder), $"{preset.Name}-{options.Layers}-{Guid.NewGuid():N}");
        var clock = Stopwatch.StartNew();
        try
        {
            SyntheticCheckpointWriter.Write(folder, config, tokenizerSourcePath, options.Seed, options.StorageDtype, progress: PrefixedProgress.For(progress, preset.Name), cancellationToken: cancellationToken);
        }
        catch
        {
            Delete(folder);
            throw;
        }

        var bytes = new DirectoryInfo(folder).EnumerateFiles().Sum(file => file.Length);
        return new SyntheticCheckpoint(preset, config, folder, bytes, clock.Elapsed.TotalSeconds);
    }

    /// <inheritdoc />
    public void Dispose() => Delete(Folder);

    private static void Delete(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
