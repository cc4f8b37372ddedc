using System.CommandLine;
using System.Globalization;
using A3.Cli.Output;
using A3.Onnx;
using A3.Runtime.IO;

namespace A3.Cli.Commands;

/// <summary><c>a3 export</c>: a model the runtime reads, written in another runtime's format (ONNX) with its tokenizer.</summary>
internal static class ExportCommand
{
    /// <summary>The one format written so far.</summary>
    private const string OnnxFormat = "onnx";

    /// <summary>Creates the verb.</summary>
    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var format = new Option<string>("--format") { Description = "The format to write: onnx.", Required = true }.AcceptOnlyFromAmong(OnnxFormat);
        var output = new Option<string>("--out") { Description = "The folder to write (atomically); an earlier export there is replaced.", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("export", "Export a model (compressed or not) as an ONNX graph with a key/value cache, plus config.json and its tokenizer.") { model, format, output, json };
        SettingFlags.Bind(command, ModelFolderDestination.Setting, output);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var result = OnnxExporter.Export(
                parseResult.GetValue(model)!, parseResult.GetValue(output)!, progress: new StderrProgress(console.ErrorWriter), cancellationToken: cancellationToken);
            var bytes = Directory.EnumerateFiles(result.OutputFolder).Sum(file => new FileInfo(file).Length);
            if (parseResult.GetValue(json))
            {
                console.Json(
                    new ExportOutput(result.OutputFolder, OnnxFormat, result.ModelFile, result.ExternalDataFile, result.Opset, result.Layers, result.WeightBytes, bytes),
                    CliJsonContext.Default.ExportOutput);
            }
            else
            {
                var weights = result.ExternalDataFile is null ? "weights inside" : $"weights in {Path.GetFileName(result.ExternalDataFile)}";
                console.Line(string.Create(CultureInfo.InvariantCulture, $"wrote {result.OutputFolder}: ONNX opset {result.Opset}, {result.Layers} layers, {weights}, {bytes / 1e6:F1} MB"));
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
