using System.Text.Json;
using A3.Tests;

namespace A3.Cli.Tests;

/// <summary><c>a3 synthesize</c> end to end on the stories260K shape: a checkpoint the other verbs read, and located errors.</summary>
public sealed class SynthesizeVerbTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-cli-synthesize-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public async Task The_checkpoint_has_the_presets_shapes_and_the_same_arguments_give_the_same_bytes()
    {
        Fixtures.Require("hf/stories260K-llama/tokenizer.model");
        var first = Path.Combine(scratch, "first");
        var second = Path.Combine(scratch, "second");

        var run = await CliRunner.RunAsync(["synthesize", "--preset", "stories260k", "--layers", "2", "--seed", "7", "--storage-dtype", "float32", "--fixtures", Fixtures.Root, "--out", first, "--json"]);
        var again = await CliRunner.RunAsync(["synthesize", "--preset", "stories260k", "--layers", "2", "--seed", "7", "--storage-dtype", "float32", "--fixtures", Fixtures.Root, "--out", second]);
        var inspect = await CliRunner.RunAsync(["inspect", "--model", first, "--json"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.True(again.ExitCode == 0, again.Stderr);
        using var output = JsonDocument.Parse(run.Stdout);
        Assert.Equal(2, output.RootElement.GetProperty("layers").GetInt32());
        Assert.Equal(Directory.EnumerateFiles(first).Sum(file => new FileInfo(file).Length), output.RootElement.GetProperty("bytes").GetInt64());
        foreach (var file in Directory.EnumerateFiles(first).Select(Path.GetFileName))
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file!)), File.ReadAllBytes(Path.Combine(second, file!)));
        }

        // Stored in float32 like the fixture, a layer's shapes, parameters, KV bytes and FLOPs are the fixture's.
        Assert.True(inspect.ExitCode == 0, inspect.Stderr);
        var fixture = await CliRunner.RunAsync(["inspect", "--model", Fixtures.Require("hf/stories260K-llama"), "--json"]);
        using var synthetic = JsonDocument.Parse(inspect.Stdout);
        using var real = JsonDocument.Parse(fixture.Stdout);
        Assert.Equal(
            real.RootElement.GetProperty("layers")[0].GetRawText(),
            synthetic.RootElement.GetProperty("layers")[0].GetRawText());
    }

    [Fact]
    public async Task An_unknown_preset_or_no_layers_is_refused_and_nothing_is_written()
    {
        var output = Path.Combine(scratch, "never");

        var preset = await CliRunner.RunAsync(["synthesize", "--preset", "llama-4", "--layers", "2", "--out", output]);
        var layers = await CliRunner.RunAsync(["synthesize", "--preset", "llama-3-8b", "--layers", "0", "--out", output]);

        Assert.Equal(2, preset.ExitCode);
        Assert.Contains("unknown preset \"llama-4\" in --preset", preset.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, layers.ExitCode);
        Assert.Contains("--layers must be 1 or more, got 0", layers.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [SkippableFact]
    public async Task Out_replaces_an_earlier_checkpoint_but_refuses_a_folder_of_user_files_and_keeps_them()
    {
        Fixtures.Require("hf/stories260K-llama/tokenizer.model");
        var documents = Directory.CreateDirectory(Path.Combine(scratch, "documents")).FullName;
        File.WriteAllText(Path.Combine(documents, "thesis.docx"), "years of work");
        var checkpoint = Path.Combine(scratch, "checkpoint");
        string[] Synthesize(string output) => ["synthesize", "--preset", "stories260k", "--layers", "1", "--fixtures", Fixtures.Root, "--out", output];

        var refused = await CliRunner.RunAsync(Synthesize(documents));
        var first = await CliRunner.RunAsync(Synthesize(checkpoint));
        var again = await CliRunner.RunAsync(Synthesize(checkpoint));

        Assert.Equal(2, refused.ExitCode);
        Assert.Single(refused.Stderr.Trim().Split('\n'));
        Assert.Contains("holds files and is not an A3 output", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(["thesis.docx"], Directory.GetFileSystemEntries(documents).Select(Path.GetFileName));
        Assert.Equal("years of work", File.ReadAllText(Path.Combine(documents, "thesis.docx")));
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.True(again.ExitCode == 0, again.Stderr);
    }
}
