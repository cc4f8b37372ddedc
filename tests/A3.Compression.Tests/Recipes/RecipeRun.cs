using A3.Compression.Caching;
using A3.Compression.Recipes;
using A3.Recipes;

namespace A3.Compression.Tests.Recipes;

/// <summary>A scratch folder with an artifact cache and a statistics cache, and recipe runs through the library's entry point.</summary>
internal sealed class RecipeRun : IDisposable
{
    public string Scratch { get; } = Directory.CreateTempSubdirectory("a3-recipe-run-").FullName;

    public string CacheRoot => Path.Combine(Scratch, "cache");

    public string StatisticsRoot => Path.Combine(Scratch, "statistics");

    /// <summary>Gets the notes, warnings and steps of every run, in order.</summary>
    public List<CompressionProgress> Events { get; } = [];

    /// <summary>Gets the notes of every run, in order.</summary>
    public IEnumerable<string> Notes => Events.OfType<CompressionNote>().Select(note => note.Text);

    public RecipeCompressionOptions Cached => new() { ArtifactCache = new ArtifactCache(CacheRoot), StatisticsCacheFolder = StatisticsRoot };

    public string Output(string name) => Path.Combine(Scratch, name);

    public string WriteRecipe(string compression, string extra = "") => A3.Tests.SmallRecipe.Write(Scratch, compression, extra);

    public static Recipe Load(string path) => RecipeLoader.Load(path).Recipe ?? throw new InvalidOperationException($"{path} does not parse");

    /// <summary>Compresses on this thread (so TorchSharp's thread statistics see every tensor), recording every event.</summary>
    public RecipeCompressionResult Compress(string recipePath, string output, RecipeCompressionOptions? options = null, Action<CompressionProgress>? onEvent = null, CancellationToken cancellationToken = default) =>
        RecipeCompressor.Compress(Load(recipePath), Output(output), options, new Recorder(this, onEvent), cancellationToken);

    public void Dispose() => Directory.Delete(Scratch, recursive: true);

    /// <summary>Synchronous, unlike <see cref="Progress{T}"/>, so events are recorded before the call returns.</summary>
    private sealed class Recorder(RecipeRun run, Action<CompressionProgress>? onEvent) : IProgress<CompressionProgress>
    {
        public void Report(CompressionProgress value)
        {
            lock (run.Events)
            {
                run.Events.Add(value);
            }

            onEvent?.Invoke(value);
        }
    }
}
