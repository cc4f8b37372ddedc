using System.CommandLine;
using System.Text.Json;
using A3.Runtime;
using A3.Runtime.Calibration;
using A3.Runtime.Compression;
using A3.Runtime.Compression.Budget;
using A3.Runtime.Compression.Reporting;
using A3.Runtime.Compression.Solvers;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Cli.Commands;

/// <summary><c>a3 compress</c>: compress a model and write it as a model folder with its report.</summary>
internal static class CompressCommand
{
    /// <summary>The report written into every output folder.</summary>
    public const string ReportFileName = "a3-report.json";

    /// <summary>Creates the verb.</summary>
    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var calibration = new CalibrationCliOptions();
        var method = new Option<string>("--method") { Description = "a3, svd or svd-llm.", DefaultValueFactory = _ => "a3" }.AcceptOnlyFromAmong("a3", "svd", "svd-llm");
        var qk = new Option<double?>("--qk") { Description = "Fraction of the query/key head dim to remove." };
        var ov = new Option<double?>("--ov") { Description = "Fraction of the value head dim to remove." };
        var mlp = new Option<double?>("--mlp") { Description = "Fraction of the MLP intermediate size to remove." };
        var budget = new Option<double?>("--budget") { Description = "Fraction of decoder-linear parameters to remove (instead of --qk/--ov/--mlp)." };
        var allocation = new Option<string>("--allocation") { Description = "uniform or greedy (A3 with --budget).", DefaultValueFactory = _ => "uniform" }.AcceptOnlyFromAmong("uniform", "greedy");
        var roundTo = new Option<int>("--round-to") { Description = "Kept head dims and intermediate sizes are multiples of this.", DefaultValueFactory = _ => 1 };
        var selector = new Option<string>("--mlp-selector") { Description = "pivoted-cholesky or importance.", DefaultValueFactory = _ => "pivoted-cholesky" }.AcceptOnlyFromAmong("pivoted-cholesky", "importance");
        var nonSequential = new Option<bool>("--non-sequential") { Description = "Calibrate every layer on the original model's activations." };
        var output = new Option<string>("--out") { Description = "The output model folder (written atomically).", Required = true };
        var outputDtype = new Option<string>("--output-dtype") { Description = "float32, float16 or bfloat16.", DefaultValueFactory = _ => "float32" }.AcceptOnlyFromAmong("float32", "float16", "bfloat16");
        var device = CommonOptions.Device();
        var json = CommonOptions.Json();
        var command = new Command("compress", "Compress a model with A3 (or a baseline) and write the result.")
        {
            model, method, qk, ov, mlp, budget, allocation, roundTo, selector, nonSequential, output, outputDtype, device, json,
        };
        calibration.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var ratios = (parseResult.GetValue(qk), parseResult.GetValue(ov), parseResult.GetValue(mlp)) switch
            {
                (null, null, null) => null,
                var (q, o, m) => new ComponentRatios(q ?? 0, o ?? 0, m ?? 0),
            };
            var options = new CompressionOptions
            {
                Method = ParseMethod(parseResult.GetValue(method)!),
                Ratios = ratios,
                Budget = parseResult.GetValue(budget),
                Allocation = parseResult.GetValue(allocation) == "greedy" ? BudgetAllocation.Greedy : BudgetAllocation.Uniform,
                RoundTo = parseResult.GetValue(roundTo),
                MlpSelector = parseResult.GetValue(selector) == "importance" ? MlpSelector.Importance : MlpSelector.PivotedCholesky,
                Sequential = !parseResult.GetValue(nonSequential),
                Device = ModelOptions.Resolve(parseResult.GetValue(device)!, "float32").Device,
            };
            options.Validate();
            var (calibrationPath, calibrationOptions) = calibration.Read(parseResult);
            var outputFolder = Path.GetFullPath(parseResult.GetValue(output)!);
            using var checkpoint = ModelCheckpoint.Open(parseResult.GetValue(model)!);
            var calibrationSet = CalibrationSetBuilder.Build(calibrationPath, checkpoint.Tokenizer, calibrationOptions);
            using var compressed = ModelCompressor.Compress(checkpoint, calibrationSet, options, new StderrProgressReporter(console.ErrorWriter), cancellationToken);
            compressed.Write(outputFolder, checkpoint.Path, ParseDtype(parseResult.GetValue(outputDtype)!), cancellationToken);
            WriteReport(Path.Combine(outputFolder, ReportFileName), compressed.Report);
            if (parseResult.GetValue(json))
            {
                console.Json(ReportJson.From(compressed.Report, outputFolder));
            }
            else
            {
                var report = compressed.Report;
                console.Line($"{report.Method} {report.Target}: removed {report.DecoderParametersRemoved:N0} decoder-linear parameters ({report.DecoderRemovedFraction:P2}) in {report.Seconds:F1}s");
                console.Line($"KV cache {report.Before.KvCacheBytesPerToken:N0} -> {report.After.KvCacheBytesPerToken:N0} bytes/token; FLOPs/token {report.Before.FlopsPerToken:N0} -> {report.After.FlopsPerToken:N0}");
                console.Line($"wrote {outputFolder}");
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    /// <summary>Parses a method name.</summary>
    public static CompressionMethod ParseMethod(string name) => name switch
    {
        "svd" => CompressionMethod.Svd,
        "svd-llm" => CompressionMethod.SvdLlm,
        _ => CompressionMethod.A3,
    };

    private static torch.ScalarType ParseDtype(string name) => name switch
    {
        "float16" => torch.ScalarType.Float16,
        "bfloat16" => torch.ScalarType.BFloat16,
        _ => torch.ScalarType.Float32,
    };

    private static void WriteReport(string path, CompressionReport report)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(ReportJson.From(report, Path.GetDirectoryName(path)!), ReportJson.Options));
        File.Move(temporary, path, overwrite: true);
    }
}
