using A3.Sdk.Tests.Infrastructure;
using A3.Tests;

namespace A3.Sdk.Tests;

/// <summary>One real compression through the packed compressor, and an app that loads the result with the packed A3.Runtime.</summary>
[Collection(PackageFeedCollection.Name)]
public sealed class RealCompressionTests(PackageFeed feed)
{
    [SkippableFact]
    public void BuildCompressesTheFixtureAndTheAppLoadsIt()
    {
        var model = Fixtures.Require("hf/stories260K-llama");
        var text = Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt");
        var project = feed.CreateProject("real-compression");
        project.WriteFile("recipes/stories260k-e2e.a3.yaml", $"""
            version: 1
            name: stories260k-e2e
            model: {model}
            calibration:
              data: {text}
              take: 50
              samples: 8
              sequence_length: 32
            compression:
              method: a3
              budget: 0.2
            device: cpu
            """);
        project.WriteFile("Program.cs", """
            using A3.Runtime.Model;
            using TorchSharp;

            using var checkpoint = ModelCheckpoint.Open(Path.Combine(AppContext.BaseDirectory, "a3", "stories260k-e2e"));
            using var decoder = checkpoint.CreateModel(torch.CPU, torch.ScalarType.Float32);
            Console.WriteLine($"loaded {checkpoint.Config.NumLayers} layers, vocabulary {checkpoint.Config.VocabSize}");
            """);
        project.WriteProjectFile($"""
              <PropertyGroup>
                <A3CacheDirectory>{Path.Combine(feed.Root, "cache-real")}</A3CacheDirectory>
              </PropertyGroup>
              <ItemGroup>
                <A3Compress Include="recipes/stories260k-e2e.a3.yaml" />
              </ItemGroup>
            """, referenceRuntime: true);

        var build = project.Build().EnsureSuccess();

        Assert.Contains("A3 stories260k-e2e: cache miss, compressing", build.Output, StringComparison.Ordinal);
        Assert.Contains("5/5 (", build.Output, StringComparison.Ordinal);
        var folder = Path.Combine(project.OutputDirectory, "a3", "stories260k-e2e");
        foreach (var file in new[] { "config.json", "model.safetensors", "tokenizer.model", "a3-report.json", "a3-manifest.json" })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} is missing from {folder}");
        }

        var run = project.Run(["run", "--no-build"]).EnsureSuccess();

        Assert.Contains("loaded 5 layers, vocabulary 512", run.Output, StringComparison.Ordinal);
    }
}
