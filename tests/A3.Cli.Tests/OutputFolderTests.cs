using A3.Tests;

namespace A3.Cli.Tests;

/// <summary>
/// <c>a3 compress --out</c> replaces only an earlier output or an empty folder. Every folder here is a scratch copy, so
/// a refusal that failed would cost nothing real; each test shows the refusal (exit 2, one line) and every file in place.
/// </summary>
public sealed class OutputFolderTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-out-guard-cli-").FullName;

    private string CacheRoot => Path.Combine(scratch, "cache");

    private string StatisticsRoot => Path.Combine(scratch, "statistics");

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public async Task A_folder_of_user_files_is_refused_and_kept()
    {
        var recipe = SmallRecipe.Write(scratch, "budget: 0.2");
        var documents = Path.Combine(scratch, "documents");
        WriteFile(documents, "thesis.docx", "years of work");

        await AssertRefused(recipe, documents, "holds files and is not an A3 output");
    }

    [SkippableFact]
    public async Task The_current_folder_is_refused_when_it_holds_files_and_when_it_is_empty()
    {
        var recipe = SmallRecipe.Write(scratch, "budget: 0.2");
        var working = Path.Combine(scratch, "working");
        WriteFile(working, "notes.txt", "keep me");
        var empty = Directory.CreateDirectory(Path.Combine(scratch, "empty")).FullName;

        await AssertRefused(recipe, ".", "is the current folder and is not an A3 output", workingDirectory: working);
        await AssertRefused(recipe, ".", "is the current folder and is not an A3 output", workingDirectory: empty);
        Assert.True(Directory.Exists(empty));
    }

    [SkippableFact]
    public async Task The_caches_are_refused_with_their_lock_files()
    {
        var recipe = SmallRecipe.Write(scratch, "budget: 0.2");
        WriteFile(CacheRoot, "0123.lock", string.Empty);
        WriteFile(StatisticsRoot, "layer.safetensors", "statistics");

        await AssertRefused(recipe, CacheRoot, "is the artifact cache");
        await AssertRefused(recipe, StatisticsRoot, "is the statistics cache");
    }

    [SkippableFact]
    public async Task The_recipes_model_folder_is_refused_and_the_model_kept()
    {
        var model = Path.Combine(scratch, "model");
        var fixture = Fixtures.Require("hf/stories260K-llama");
        Directory.CreateDirectory(model);
        foreach (var file in Directory.GetFiles(fixture))
        {
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
        }

        var recipe = SmallRecipe.Write(scratch, "budget: 0.2");
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace(fixture, model, StringComparison.Ordinal));

        await AssertRefused(recipe, model, "is the recipe's model");
    }

    private static void WriteFile(string folder, string name, string content)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name), content);
    }

    private async Task AssertRefused(string recipe, string output, string reason, string? workingDirectory = null)
    {
        var before = Snapshot();

        var run = await CliRunner.RunAsync(
            ["compress", recipe, "--out", output, "--cache", CacheRoot, "--stats-cache", StatisticsRoot],
            workingDirectory: workingDirectory);

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Stderr}");
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"error A3003: --out {reason}", line, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    /// <summary>Every file under the scratch folder with its bytes' hash.</summary>
    private List<string> Snapshot() =>
        Directory.EnumerateFiles(scratch, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(scratch, file) + "=" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))))
            .Order(StringComparer.Ordinal)
            .ToList();
}
