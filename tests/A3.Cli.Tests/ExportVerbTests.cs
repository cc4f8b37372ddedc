using System.Text.Json;
using A3.Tests;

namespace A3.Cli.Tests;

/// <summary><c>a3 export</c> end to end, as a separate process, on the real fixture.</summary>
public sealed class ExportVerbTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-cli-export-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public async Task Export_writes_the_onnx_folder_and_reports_it_as_json()
    {
        var model = Fixtures.Require("hf/stories260K-llama");
        var output = Path.Combine(scratch, "onnx");

        var run = await CliRunner.RunAsync(["export", "--model", model, "--format", "onnx", "--out", output, "--json"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var result = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(output, result.GetProperty("output").GetString());
        Assert.Equal("onnx", result.GetProperty("format").GetString());
        Assert.Equal(17, result.GetProperty("opset").GetInt32());
        Assert.Equal(5, result.GetProperty("layers").GetInt32());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("external_data_file").ValueKind);
        Assert.Equal(["config.json", "model.onnx", "tokenizer.model"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("a3: export onnx 7/7", run.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_unknown_format_and_the_model_folder_as_output_are_refused_with_exit_2()
    {
        var model = Fixtures.Require("hf/stories260K-llama");

        var format = await CliRunner.RunAsync(["export", "--model", model, "--format", "gguf", "--out", Path.Combine(scratch, "x")]);
        var self = await CliRunner.RunAsync(["export", "--model", model, "--format", "onnx", "--out", model]);

        Assert.Equal(2, format.ExitCode);
        Assert.Contains("gguf", format.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, self.ExitCode);
        Assert.Contains("--out is the model being exported", self.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(scratch, "x")));
    }
}
