using A3.Runtime.Compression.Reporting;
using A3.Runtime.Evaluation;
using A3.Runtime.Generation;
using A3.Runtime.Native;
using A3App.A3;
using TorchSharp;

// Model is generated from recipes/model.a3.yaml; the build wrote the compressed model to Model.OutputDirectory.
using var checkpoint = Model.Load();

// The original model stays on the build machine; a3-report.json beside the compressed one has its figures.
var report = CompressionReportFile.ReadFromModelFolder(Model.OutputDirectory);
long weightBytes = Directory.EnumerateFiles(Model.OutputDirectory, "*.safetensors").Sum(file => new FileInfo(file).Length);
Console.WriteLine($"{report.Method}, {report.Target}: {report.DecoderRemovedFraction:P1} of the decoder-linear parameters removed");
Console.WriteLine($"parameters       {report.Before.TotalParameters,14:N0} -> {report.After.TotalParameters,14:N0}");
Console.WriteLine($"KV cache / token {report.Before.KvCacheBytesPerToken,14:N0} -> {report.After.KvCacheBytesPerToken,14:N0} bytes");
Console.WriteLine($"weights on disk  {weightBytes,32:N0} bytes in {Model.OutputPath}/");

using var model = checkpoint.CreateModel(ComputeDevice.Resolve("auto"), torch.ScalarType.Float32);

// Non-overlapping windows suit any tokenizer, with or without a BOS token.
var windows = new EvaluationOptions { Protocol = EvaluationProtocol.Windows, SequenceLength = Math.Min(128, model.MaxSequenceLength) };
var perplexity = ModelEvaluation.Run(model, checkpoint.Tokenizer, Path.Combine(AppContext.BaseDirectory, "data", "sample.txt"), windows);
Console.WriteLine($"perplexity       {perplexity.Perplexity,32:F3} on data/sample.txt ({perplexity.Tokens:N0} tokens)");

var prompt = args.Length > 0 ? string.Join(' ', args) : "Once upon a time";
var sample = TextGenerator.Generate(model, checkpoint.Tokenizer, prompt, maxNewTokens: 48, new TokenSampler(temperature: 0, seed: 0));
Console.WriteLine();
Console.WriteLine(sample.Prompt + sample.Completion);
