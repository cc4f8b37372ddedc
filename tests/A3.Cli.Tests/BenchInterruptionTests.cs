using System.Diagnostics;
using System.Globalization;
using A3.Tests;

namespace A3.Cli.Tests;

/// <summary>Ctrl+C during <c>a3 bench</c>, through a real signal: exit 130 and the temporary checkpoints gone.</summary>
public sealed class BenchInterruptionTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-bench-interrupt-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public async Task Ctrl_c_while_writing_a_checkpoint_exits_130_and_removes_the_temporary_folder()
    {
        Fixtures.Require("tokenizers/llama2-sp/tokenizer.model");

        // A Llama-2-7B-shaped checkpoint takes seconds to write, so the signal lands while it is being written.
        using var process = CliRunner.Start(["bench", "--presets", "llama-2-7b", "--layers", "1", "--device", "cpu", "--fixtures", Fixtures.Root, "--scratch", scratch]);
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (await process.StandardError.ReadLineAsync(timeout.Token) is string line && !line.StartsWith("a3: llama-2-7b write", StringComparison.Ordinal))
        {
        }

        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(scratch));
        _ = process.StandardError.ReadToEndAsync();
        using (var signal = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(130, process.ExitCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch));
    }
}
