using A3.Compression.Caching;
using A3.Recipes;
using A3.Runtime.Reporting;

namespace A3.Compression.Tests.Caching;

/// <summary>Storing an entry when another process, without this one's lock, stored the same key first.</summary>
public sealed class ArtifactCacheStoreTests : IDisposable
{
    private static readonly ModelSummary Summary = new(10, 8, 4, 100, 16);
    private static readonly CompressionReport Report = new("a3", "budget 0.2", true, 16, Summary, Summary, [], []);
    private static readonly CompressionRunFacts Run = new(1, null, []);

    private readonly string scratch = Directory.CreateTempSubdirectory("a3-artifact-store-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void A_corrupt_entry_stored_first_by_another_process_is_replaced_by_ours_and_never_served()
    {
        var key = ArtifactKey.Compute(WriteRecipe(), "cpu");
        var cache = new ArtifactCache(Path.Combine(scratch, "cache"));
        var notes = new List<string>();

        var manifest = cache.Store(key, temporary => Build(temporary, cache.EntryPath(key.Value)), notes.Add);

        Assert.Equal([$"cache entry {key.Value} is corrupt (a3-manifest.json is missing or unreadable); rebuilding"], notes);
        Assert.Empty(ArtifactContents.Problems(manifest, cache.EntryPath(key.Value)));
        Assert.Equal("weights", File.ReadAllText(Path.Combine(cache.EntryPath(key.Value), "model.safetensors")));
    }

    /// <summary>Writes a model folder at <paramref name="temporary"/>; meanwhile "another process" leaves a corrupt entry at <paramref name="entry"/>.</summary>
    private static (CompressionReport, CompressionRunFacts) Build(string temporary, string entry)
    {
        Directory.CreateDirectory(temporary);
        File.WriteAllText(Path.Combine(temporary, "config.json"), "{}");
        File.WriteAllText(Path.Combine(temporary, "model.safetensors"), "weights");
        File.WriteAllBytes(Path.Combine(temporary, CompressionReportFile.FileName), CompressionReportFile.Serialize(Report));
        Directory.CreateDirectory(entry);
        File.WriteAllText(Path.Combine(entry, "model.safetensors"), "corrupt");
        return (Report, Run);
    }

    private Recipe WriteRecipe()
    {
        var model = Directory.CreateDirectory(Path.Combine(scratch, "model")).FullName;
        File.WriteAllText(Path.Combine(model, "config.json"), "{}");
        File.WriteAllText(Path.Combine(scratch, "calibration.txt"), "text");
        return new Recipe { Name = "stored", BaseDirectory = scratch, Model = model, Calibration = new CalibrationSection { Data = Path.Combine(scratch, "calibration.txt") } };
    }
}
