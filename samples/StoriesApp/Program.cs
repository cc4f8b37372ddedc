using A3.Evaluation;
using A3.Generation;
using A3.Runtime.Reporting;
using A3.Runtime.Evaluation;
using A3.Runtime.Generation;
using StoriesApp.A3;
using TorchSharp;

// Stories260k is generated from recipes/stories260k.a3.yaml; the build compressed the fixture model
// into Stories260k.OutputDirectory and wrote a3-report.json, with the original model's figures, beside it.
using var checkpoint = Stories260k.Load();
var report = CompressionReportFile.ReadFromModelFolder(Stories260k.OutputDirectory);

Console.WriteLine($"stories260K compressed with {report.Method}, {report.Target}");
Console.WriteLine($"{string.Empty,-26}{"before",12}{"after",12}");
Row("parameters", report.Before.TotalParameters, report.After.TotalParameters);
Row("decoder-linear parameters", report.Before.DecoderLinearParameters, report.After.DecoderLinearParameters);
Row("KV cache bytes / token", report.Before.KvCacheBytesPerToken, report.After.KvCacheBytesPerToken);
Row($"FLOPs / token at {report.After.Context}", report.Before.FlopsPerToken, report.After.FlopsPerToken);
long weightBytes = Directory.EnumerateFiles(Stories260k.OutputDirectory, "*.safetensors").Sum(file => new FileInfo(file).Length);
Console.WriteLine($"{"weights on disk (bytes)",-26}{string.Empty,12}{weightBytes,12:N0}");

using var model = checkpoint.CreateModel(torch.CPU, torch.ScalarType.Float32);

// The recipe's evaluation again, read from the generated class: held-out stories of the TinyStories
// validation split, each scored alone.
var heldOut = new EvaluationOptions
{
    Protocol = EvaluationProtocol.Documents,
    Separator = Stories260k.Evaluation.Separator,
    SkipDocuments = Stories260k.Evaluation.SkipDocs,
    MaxDocuments = Stories260k.Evaluation.MaxDocs,
};
var heldOutLabel = $"perplexity, stories {heldOut.SkipDocuments}-{heldOut.SkipDocuments + heldOut.MaxDocuments - 1}";
var perplexity = ModelEvaluation.Run(model, checkpoint.Tokenizer, Path.Combine(AppContext.BaseDirectory, "data", "tinystories-valid.txt"), heldOut);
Console.WriteLine($"{heldOutLabel,-26}{string.Empty,12}{perplexity.Perplexity,12:F4}  ({perplexity.Tokens:N0} tokens; {report.Evaluation?.Perplexity:F4} at build time)");

// The same held-out stories through the ONNX export, run by ONNX Runtime: the figure agrees with the one above.
using var onnx = Stories260k.LoadOnnx();
var onnxPerplexity = onnx.EvaluatePerplexity(Path.Combine(AppContext.BaseDirectory, "data", "tinystories-valid.txt"), heldOut);
long onnxBytes = Directory.EnumerateFiles(Stories260k.OnnxDirectory).Where(file => file.Contains(".onnx", StringComparison.Ordinal)).Sum(file => new FileInfo(file).Length);
Console.WriteLine($"{"  with ONNX Runtime",-26}{string.Empty,12}{onnxPerplexity.Perplexity,12:F4}  ({onnxBytes:N0} bytes of ONNX graph and weights)");

var story = TextGenerator.Generate(model, checkpoint.Tokenizer, "Once upon a time", maxNewTokens: 60, new TokenSampler(temperature: 0, seed: 0));
var onnxStory = onnx.Generate("Once upon a time", maxNewTokens: 60, new TokenSampler(temperature: 0, seed: 0));
Console.WriteLine();
Console.WriteLine(story.Prompt + story.Completion);
Console.WriteLine(onnxStory.Completion == story.Completion ? "(ONNX Runtime generated the same story)" : $"ONNX Runtime: {onnxStory.Prompt + onnxStory.Completion}");

static void Row(string label, long before, long after) =>
    Console.WriteLine($"{label,-26}{before,12:N0}{after,12:N0}  ({(after - before) / (double)before:+0.0%;-0.0%;0.0%})");
