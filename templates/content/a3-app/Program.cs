#if (onnxRuntime)
using A3.Evaluation;
using A3.Generation;
using A3App.A3;

// AppModel is generated from recipes/model.a3.yaml (name: app-model); the build compressed the model, exported it to
// ONNX (output.formats: [onnx]) and put the export in AppModel.OnnxDirectory. ONNX Runtime runs it: no libtorch.
using var model = AppModel.Load();

long onnxBytes = Directory.EnumerateFiles(AppModel.OnnxDirectory).Sum(file => new FileInfo(file).Length);
Console.WriteLine($"{"ONNX export on disk (bytes)",-28}{onnxBytes,14:N0}");

// Non-overlapping windows suit any tokenizer, with or without a BOS token.
var windows = new EvaluationOptions { Protocol = EvaluationProtocol.Windows, SequenceLength = Math.Min(128, model.ContextLength) };
var perplexity = model.EvaluatePerplexity(Path.Combine(AppContext.BaseDirectory, "data", "sample.txt"), windows);
Console.WriteLine($"{"perplexity, sample.txt",-28}{perplexity.Perplexity,14:F3}  ({perplexity.Tokens:N0} tokens)");

var prompt = args.Length > 0 ? string.Join(' ', args) : "Once upon a time";
var sample = model.Generate(prompt, maxNewTokens: 48, new TokenSampler(temperature: 0, seed: 0));
Console.WriteLine();
Console.WriteLine(sample.Prompt + sample.Completion);
#else
using A3.Evaluation;
using A3.Generation;
using A3.Runtime.Reporting;
using A3.Runtime.Evaluation;
using A3.Runtime.Generation;
using A3.Runtime.Native;
using A3App.A3;
using TorchSharp;

// AppModel is generated from recipes/model.a3.yaml (name: app-model); the build compressed the model into AppModel.OutputDirectory
// and wrote a3-report.json, with the original model's figures, beside it.
using var checkpoint = AppModel.Load();
var report = CompressionReportFile.ReadFromModelFolder(AppModel.OutputDirectory);

Console.WriteLine($"{report.Method}, {report.Target}");
Console.WriteLine($"{string.Empty,-24}{"before",14}{"after",14}");
Row("parameters", report.Before.TotalParameters, report.After.TotalParameters);
Row("KV cache bytes / token", report.Before.KvCacheBytesPerToken, report.After.KvCacheBytesPerToken);
long weightBytes = Directory.EnumerateFiles(AppModel.OutputDirectory, "*.safetensors").Sum(file => new FileInfo(file).Length);
Console.WriteLine($"{"weights on disk (bytes)",-24}{string.Empty,14}{weightBytes,14:N0}");

using var model = checkpoint.CreateModel(ComputeDevice.Resolve("auto"), torch.ScalarType.Float32);

// Non-overlapping windows suit any tokenizer, with or without a BOS token.
var windows = new EvaluationOptions { Protocol = EvaluationProtocol.Windows, SequenceLength = Math.Min(128, model.MaxSequenceLength) };
var perplexity = ModelEvaluation.Run(model, checkpoint.Tokenizer, Path.Combine(AppContext.BaseDirectory, "data", "sample.txt"), windows);
Console.WriteLine($"{"perplexity, sample.txt",-24}{string.Empty,14}{perplexity.Perplexity,14:F3}  ({perplexity.Tokens:N0} tokens)");

var prompt = args.Length > 0 ? string.Join(' ', args) : "Once upon a time";
var sample = TextGenerator.Generate(model, checkpoint.Tokenizer, prompt, maxNewTokens: 48, new TokenSampler(temperature: 0, seed: 0));
Console.WriteLine();
Console.WriteLine(sample.Prompt + sample.Completion);

static void Row(string label, long before, long after) =>
    Console.WriteLine($"{label,-24}{before,14:N0}{after,14:N0}  ({(after - before) / (double)before:+0.0%;-0.0%;0.0%})");
#endif
