using A3.Compression.Caching;
using A3.Compression.Recipes;
using A3.Compression.Tests.Recipes;
using A3.Runtime.Reporting;

namespace A3.Compression.Tests.Caching;

/// <summary>What a cache hit puts in the output folder: the entry's listed files only, and never at the cost of the previous output.</summary>
public sealed class ArtifactCacheServingTests : IDisposable
{
    private readonly RecipeRun run = new();

    public void Dispose() => run.Dispose();

    [SkippableFact]
    public void An_entry_with_an_extra_file_or_a_link_is_rebuilt_and_neither_is_served()
    {
        var recipe = run.WriteRecipe("budget: 0.2");
        var first = run.Compress(recipe, "out", run.Cached);
        var entry = Path.Combine(run.CacheRoot, first.Key!);
        var secret = run.Output("secret.txt");
        File.WriteAllText(secret, "root:secret");
        File.WriteAllText(Path.Combine(entry, "extra.txt"), "planted");
        File.CreateSymbolicLink(Path.Combine(entry, "shadow"), secret);

        var second = run.Compress(recipe, "served", run.Cached);

        Assert.Equal(CacheOutcome.Miss, second.Cache);
        Assert.Contains($"cache entry {first.Key} is corrupt (extra.txt is not listed in the manifest); rebuilding", run.Notes);
        Assert.Equal(FileNames(run.Output("out")), FileNames(run.Output("served")));
        Assert.Equal(FileNames(run.Output("out")), FileNames(entry));
    }

    [SkippableFact]
    public void A_file_where_the_entry_folder_goes_is_replaced_by_the_entry_and_the_run_succeeds()
    {
        var recipe = run.WriteRecipe("budget: 0.2");
        var first = run.Compress(recipe, "out", run.Cached);
        var entry = Path.Combine(run.CacheRoot, first.Key!);
        Directory.Delete(entry, recursive: true);
        File.WriteAllText(entry, "not an entry");

        var second = run.Compress(recipe, "served", run.Cached);

        Assert.Equal(CacheOutcome.Miss, second.Cache);
        Assert.Contains($"cache entry {first.Key} is a file or a link, not a folder; rebuilding", run.Notes);
        Assert.True(Directory.Exists(entry));
        Assert.Equal(FileNames(run.Output("out")), FileNames(run.Output("served")));
    }

    [SkippableFact]
    public void A_manifest_that_omits_the_weights_does_not_let_corrupt_weights_through()
    {
        var recipe = run.WriteRecipe("budget: 0.2");
        var first = run.Compress(recipe, "out", run.Cached);
        var entry = Path.Combine(run.CacheRoot, first.Key!);
        var weights = File.ReadAllBytes(Path.Combine(entry, "model.safetensors"));
        var manifest = ArtifactManifest.TryRead(Path.Combine(entry, ArtifactManifest.FileName))!;
        manifest.Outputs.RemoveAll(output => output.File == "model.safetensors");
        manifest.Write(Path.Combine(entry, ArtifactManifest.FileName));
        var corrupt = (byte[])weights.Clone();
        corrupt[^1] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(entry, "model.safetensors"), corrupt);

        var second = run.Compress(recipe, "served", run.Cached);

        Assert.Equal(CacheOutcome.Miss, second.Cache);
        Assert.Contains(run.Notes, note => note.StartsWith($"cache entry {first.Key} is corrupt (the manifest does not list model.safetensors", StringComparison.Ordinal));
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(run.Output("served"), "model.safetensors")));
    }

    [SkippableFact]
    public void A_hit_that_cannot_be_copied_leaves_the_previous_output_as_it_was()
    {
        var recipe = run.WriteRecipe("budget: 0.2");
        var first = run.Compress(recipe, "out", run.Cached);
        var before = Snapshot(run.Output("out"));
        var cache = new ArtifactCache(run.CacheRoot);
        var manifest = ArtifactManifest.TryRead(Path.Combine(run.CacheRoot, first.Key!, ArtifactManifest.FileName))!;
        File.Delete(Path.Combine(run.CacheRoot, first.Key!, CompressionReportFile.FileName));

        Assert.ThrowsAny<IOException>(() => cache.Materialise(manifest, run.Output("out"), CancellationToken.None));

        Assert.Equal(before, Snapshot(run.Output("out")));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(run.Scratch), entry => Path.GetFileName(entry).StartsWith(".out", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void A_publish_killed_between_its_renames_is_recovered_by_the_next_run()
    {
        var recipe = run.WriteRecipe("budget: 0.2");
        run.Compress(recipe, "out", run.Cached);
        var before = Snapshot(run.Output("out"));

        // What a kill between the two renames leaves: the previous output aside, the new one complete but hidden, no output.
        var gone = int.MaxValue;
        Directory.Move(run.Output("out"), run.Output($".out.old-{gone}-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(run.Output($".out.tmp-{gone}-{Guid.NewGuid():N}"));

        var next = run.Compress(recipe, "out", run.Cached);

        Assert.Equal(CacheOutcome.Hit, next.Cache);
        Assert.Equal(before, Snapshot(run.Output("out")));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(run.Scratch), entry => Path.GetFileName(entry).StartsWith(".out", StringComparison.Ordinal));
    }

    private static string[] FileNames(string folder) =>
        Directory.GetFileSystemEntries(folder).Select(file => Path.GetFileName(file)!).Where(name => name != ArtifactManifest.FileName).Order(StringComparer.Ordinal).ToArray();

    private static List<string> Snapshot(string folder) =>
        Directory.GetFiles(folder).Select(file => Path.GetFileName(file) + "=" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)))).Order(StringComparer.Ordinal).ToList();
}
