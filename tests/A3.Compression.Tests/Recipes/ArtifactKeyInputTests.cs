using System.Diagnostics;
using A3.Compression.Caching;
using A3.Tests;

namespace A3.Compression.Tests.Recipes;

/// <summary>
/// The artifact key hashes every file of the model folder; one that is a pipe or a link to a device must not block
/// or be read forever (a stray FIFO in the folder hung the run before any work).
/// </summary>
public sealed class ArtifactKeyInputTests : IDisposable
{
    private readonly RecipeRun run = new();

    public void Dispose() => run.Dispose();

    [SkippableFact]
    public async Task A_pipe_and_a_link_to_a_device_in_the_model_folder_hash_as_the_empty_files_they_report_being()
    {
        var model = Path.Combine(run.Scratch, "model");
        Directory.CreateDirectory(model);
        foreach (var file in Directory.GetFiles(Fixtures.Require("hf/stories260K-llama")))
        {
            File.CreateSymbolicLink(Path.Combine(model, Path.GetFileName(file)), file);
        }

        var recipe = run.WriteRecipe("budget: 0.2");
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace(Fixtures.Require("hf/stories260K-llama"), model, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(model, "notes.pipe"), string.Empty);
        File.WriteAllText(Path.Combine(model, "zero.link"), string.Empty);
        var withEmptyFiles = ArtifactKey.Compute(RecipeRun.Load(recipe), "cpu").Value;

        File.Delete(Path.Combine(model, "notes.pipe"));
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(model, "notes.pipe")]))
        {
            await mkfifo.WaitForExitAsync();
        }

        File.Delete(Path.Combine(model, "zero.link"));
        File.CreateSymbolicLink(Path.Combine(model, "zero.link"), "/dev/zero");

        // A hang fails the test after a minute instead of holding the suite.
        var key = Task.Run(() => ArtifactKey.Compute(RecipeRun.Load(recipe), "cpu").Value);
        Assert.True(await Task.WhenAny(key, Task.Delay(TimeSpan.FromMinutes(1))) == key, "hashing the model folder blocked");
        Assert.Equal(withEmptyFiles, await key);
    }
}
