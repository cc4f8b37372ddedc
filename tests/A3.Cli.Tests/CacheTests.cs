using System.Text.Json;
using A3.Tests;

namespace A3.Cli.Tests;

/// <summary>
/// How <c>a3 compress</c> reports the artifact cache and how <c>a3 verify</c> checks a folder; the cache's behaviour
/// itself (keys, corruption, concurrency, interruptions) is tested in process in A3.Compression.Tests.
/// </summary>
public sealed class CacheTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-cache-cli-").FullName;

    private string CacheRoot => Path.Combine(scratch, "cache");

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public async Task The_second_run_hits_and_materialises_the_same_bytes()
    {
        var recipe = WriteRecipe("budget: 0.2");
        var first = await Compress(recipe, "out1");
        Assert.Contains("a3: cache miss", first.Stderr, StringComparison.Ordinal);
        var second = await Compress(recipe, "out2", "--json");

        Assert.Contains("a3: cache hit", second.Stderr, StringComparison.Ordinal);
        var json = JsonDocument.Parse(second.Stdout).RootElement;
        Assert.Equal("hit", json.GetProperty("cache").GetString());
        Assert.Equal(Key(first), json.GetProperty("key").GetString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(scratch, "out1", "model.safetensors")), File.ReadAllBytes(Path.Combine(scratch, "out2", "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(scratch, "out2", "a3-manifest.json")));
    }

    [SkippableFact]
    public async Task Verify_passes_on_the_output_and_fails_after_a_byte_changes()
    {
        var recipe = WriteRecipe("budget: 0.2");
        var first = await Compress(recipe, "out");
        var output = Path.Combine(scratch, "out");

        var ok = await CliRunner.RunAsync(["verify", recipe, "--artifacts", output]);
        Assert.True(ok.ExitCode == 0, ok.Stdout + ok.Stderr);
        Assert.Equal($"ok {Key(first)}", ok.Stdout.Trim());

        FlipLastByte(Path.Combine(output, "model.safetensors"));
        var bad = await CliRunner.RunAsync(["verify", recipe, "--artifacts", output]);
        Assert.Equal(4, bad.ExitCode);
        Assert.Contains("output model.safetensors changed", bad.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Verify_names_the_input_that_differs()
    {
        var recipe = WriteRecipe("budget: 0.2");
        await Compress(recipe, "out");
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("budget: 0.2", "budget: 0.3", StringComparison.Ordinal));

        var bad = await CliRunner.RunAsync(["verify", recipe, "--artifacts", Path.Combine(scratch, "out")]);

        Assert.Equal(4, bad.ExitCode);
        Assert.Contains("input recipe", bad.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Verify_fails_when_the_manifest_omits_the_weights_or_the_folder_holds_an_extra_file()
    {
        var recipe = WriteRecipe("budget: 0.2");
        await Compress(recipe, "out");
        var output = Path.Combine(scratch, "out");
        var manifestPath = Path.Combine(output, "a3-manifest.json");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!;
        var outputs = manifest["outputs"]!.AsArray();
        outputs.Remove(outputs.Single(entry => entry!["file"]!.GetValue<string>() == "model.safetensors"));
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        FlipLastByte(Path.Combine(output, "model.safetensors"));
        File.WriteAllText(Path.Combine(output, "extra.txt"), "planted");

        var bad = await CliRunner.RunAsync(["verify", recipe, "--artifacts", output]);

        Assert.Equal(4, bad.ExitCode);
        Assert.Contains("output the manifest does not list model.safetensors", bad.Stdout, StringComparison.Ordinal);
        Assert.Contains("output extra.txt is not listed in the manifest", bad.Stdout, StringComparison.Ordinal);
    }

    private static string Key(CliResult run)
    {
        var line = run.Stderr.Split('\n').First(l => l.StartsWith("a3: cache hit ", StringComparison.Ordinal) || l.StartsWith("a3: cache miss ", StringComparison.Ordinal));
        return line.Trim().Split(' ')[^1];
    }

    private static void FlipLastByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }

    private async Task<CliResult> Compress(string recipe, string output, string? extra = null, bool check = true)
    {
        List<string> arguments = ["compress", recipe, "--out", Path.Combine(scratch, output), "--cache", CacheRoot, "--stats-cache", Path.Combine(scratch, "statistics")];
        if (extra is not null)
        {
            arguments.Add(extra);
        }

        var run = await CliRunner.RunAsync(arguments);
        if (check)
        {
            Assert.True(run.ExitCode == 0, run.Stderr);
        }

        return run;
    }

    private string WriteRecipe(string compression) => SmallRecipe.Write(scratch, compression);
}
