using System.Text.RegularExpressions;
using A3.Sdk.Tests.Infrastructure;
using A3.Tests;

namespace A3.Sdk.Tests;

/// <summary>
/// The user's first five minutes: <c>dotnet new a3-app</c> from the packed templates, <c>dotnet build</c>
/// (which compresses the fixture through the packed A3.Sdk and generates the typed recipe class), then
/// <c>dotnet run</c> (which loads the model through that class with the packed A3.Runtime).
/// </summary>
[Collection(PackageFeedCollection.Name)]
public sealed class AppTemplateBuildTests(PackageFeed feed, Xunit.Abstractions.ITestOutputHelper output)
{
    [SkippableFact]
    public void NewAppBuildsCompressesAndRuns()
    {
        var model = Fixtures.Require("hf/stories260K-llama");
        var text = Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt");
        var project = feed.CreateProject("Stories.Demo");
        var hive = Path.Combine(feed.Root, "template-hive");
        project.Run(["new", "install", Path.Combine(feed.FeedDirectory, $"A3.Templates.{feed.Version}.nupkg"), "--debug:custom-hive", hive]).EnsureSuccess();

        // --force: the project folder already holds the test's nuget.config, build guards and a placeholder Program.cs.
        project.Run(["new", "a3-app", "--name", "Stories.Demo", "--output", ".", "--model", model, "--calibration", text, "--budget", "0.1", "--force", "--debug:custom-hive", hive]).EnsureSuccess();

        // A small calibration keeps the test quick; everything else is the template's recipe as generated.
        var recipe = Path.Combine(project.DirectoryPath, "recipes", "model.a3.yaml");
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("samples: 128", "samples: 8").Replace("sequence_length: 256", "sequence_length: 64"));

        var build = project.Build($"-p:A3CacheDirectory={Path.Combine(feed.Root, "cache-template")}").EnsureSuccess();

        Assert.Contains("A3 app-model: cache miss, compressing", build.Output, StringComparison.Ordinal);
        var folder = Path.Combine(project.OutputDirectory, "a3", "app-model");
        Assert.True(File.Exists(Path.Combine(folder, "model.safetensors")), $"no model.safetensors in {folder}");

        var run = project.Run(["run", "--no-build"]).EnsureSuccess();

        // The app reads every figure from the compressed folder through the generated Stories.Demo.A3.AppModel class.
        Assert.Matches(new Regex(@"parameters\s+260,032\s+\d{3},\d{3}"), run.Output);
        Assert.Matches(new Regex(@"KV cache bytes / token\s+1,280\s+\d"), run.Output);
        Assert.Matches(new Regex(@"perplexity, sample\.txt\s+\d+\.\d{3}"), run.Output);
        Assert.Contains("Once upon a time", run.Output, StringComparison.Ordinal);

        // For comparison with the ONNX route below: the TorchSharp route's publish folder (libtorch itself is loaded from
        // the NuGet folder unless the app references a libtorch package to ship it).
        var publish = Path.Combine(project.DirectoryPath, "publish");
        project.Publish("-r", "linux-x64", "--self-contained", "false", "-o", publish, $"-p:A3CacheDirectory={Path.Combine(feed.Root, "cache-template")}").EnsureSuccess();
        var files = Directory.GetFiles(publish, "*", SearchOption.AllDirectories);
        Assert.Contains(files, file => Path.GetFileName(file) == "TorchSharp.dll");
        output.WriteLine($"TorchSharp route publish folder: {files.Length} files, {files.Sum(file => new FileInfo(file).Length):N0} bytes");
    }

    [SkippableFact]
    public void NewOnnxAppShipsOnlyTheExportRunsItAndPublishesWithoutLibTorch()
    {
        var model = Fixtures.Require("hf/stories260K-llama");
        var text = Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt");
        var project = feed.CreateProject("Stories.Onnx");
        var hive = Path.Combine(feed.Root, "template-hive-onnx");
        project.Run(["new", "install", Path.Combine(feed.FeedDirectory, $"A3.Templates.{feed.Version}.nupkg"), "--debug:custom-hive", hive]).EnsureSuccess();
        project.Run(["new", "a3-app", "--name", "Stories.Onnx", "--output", ".", "--model", model, "--calibration", text, "--budget", "0.1", "--runtime", "onnx", "--force", "--debug:custom-hive", hive]).EnsureSuccess();
        var recipe = Path.Combine(project.DirectoryPath, "recipes", "model.a3.yaml");
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("samples: 128", "samples: 8").Replace("sequence_length: 256", "sequence_length: 64"));

        project.Build($"-p:A3CacheDirectory={Path.Combine(feed.Root, "cache-template")}").EnsureSuccess();

        var folder = Path.Combine(project.OutputDirectory, "a3", "app-model");
        Assert.True(File.Exists(Path.Combine(folder, "onnx", "model.onnx")), $"no onnx/model.onnx in {folder}");
        Assert.False(File.Exists(Path.Combine(folder, "model.safetensors")), "output.formats: [onnx] ships only the export");

        var run = project.Run(["run", "--no-build"]).EnsureSuccess();
        Assert.Matches(new Regex(@"perplexity, sample\.txt\s+\d+\.\d{3}"), run.Output);
        Assert.Contains("Once upon a time", run.Output, StringComparison.Ordinal);

        var publish = Path.Combine(project.DirectoryPath, "publish");
        project.Publish("-r", "linux-x64", "--self-contained", "false", "-o", publish, $"-p:A3CacheDirectory={Path.Combine(feed.Root, "cache-template")}").EnsureSuccess();
        var files = Directory.GetFiles(publish, "*", SearchOption.AllDirectories);
        Assert.DoesNotContain(files, file => Path.GetFileName(file).Contains("torch", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(files, file => Path.GetFileName(file) == "libonnxruntime.so");
        Assert.True(File.Exists(Path.Combine(publish, "a3", "app-model", "onnx", "model.onnx")));
        output.WriteLine($"ONNX route publish folder: {files.Length} files, {files.Sum(file => new FileInfo(file).Length):N0} bytes");
    }
}
