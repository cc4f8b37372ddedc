using A3.Sdk.Tests.Infrastructure;
using Xunit.Abstractions;

namespace A3.Sdk.Tests;

/// <summary>The MSBuild wiring of <c>A3Compress</c>, driven through real <c>dotnet</c> builds of a project using the packed A3.Sdk, with the fake compressor.</summary>
[Collection(PackageFeedCollection.Name)]
public sealed class CompressionBuildTests(PackageFeed feed)
{
    private const string SkippedCompression = "Skipping target \"_A3CompressCore\" because all output files are up-to-date";

    [Fact]
    public void FirstBuildCompressesIntoBinAndPublish()
    {
        var (project, log) = CreateProject("first-build", "tiny");

        project.Build().EnsureSuccess();

        Assert.Single(FakeCompressor.Invocations(log));
        var model = Path.Combine(project.OutputDirectory, "a3", "tiny");
        Assert.Equal("fake weights of tiny.a3.yaml", File.ReadAllText(Path.Combine(model, "model.safetensors")).Trim());
        Assert.True(File.Exists(Path.Combine(model, "tokenizer", "tokenizer.model")), "nested files keep their folder");
        Assert.False(File.Exists(Path.Combine(project.OutputDirectory, "recipes", "tiny.a3.yaml")), "the recipe itself is not copied to bin");

        // dotnet publish builds Release unless told otherwise; Debug reuses the build above.
        project.Publish("--no-restore", "-c", "Debug").EnsureSuccess();

        Assert.Single(FakeCompressor.Invocations(log));
        Assert.Equal("fake weights of tiny.a3.yaml", File.ReadAllText(Path.Combine(project.PublishDirectory, "a3", "tiny", "model.safetensors")).Trim());
    }

    [Fact]
    public void DefaultVerbosityShowsEachLayerAndSaysWhenTheCacheServedTheModel()
    {
        var cache = Path.Combine(feed.Root, "cache-progress");
        var (first, _) = CreateProject("progress-first", "tiny", cache: cache);
        var (second, _) = CreateProject("progress-second", "tiny", cache: cache);

        // -v:m is quieter than dotnet build's default: what shows here shows in a default build and in an IDE's build output.
        var miss = first.Run(["build", "-nodeReuse:false", "-m:1", "-tl:off", "-v:m", "-p:UseSharedCompilation=false"]).EnsureSuccess();
        var hit = second.Run(["build", "-nodeReuse:false", "-m:1", "-tl:off", "-v:m", "-p:UseSharedCompilation=false"]).EnsureSuccess();

        Assert.Contains("A3 tiny: cache miss, compressing", miss.Output, StringComparison.Ordinal);
        Assert.Contains("A3 tiny: compress layer 0 1/2 (0.0s, ETA 0.0s)", miss.Output, StringComparison.Ordinal);
        Assert.Contains("A3 tiny: compress layer 1 2/2 (0.0s)", miss.Output, StringComparison.Ordinal);
        Assert.Contains("A3: compressed tiny in ", miss.Output, StringComparison.Ordinal);
        Assert.Contains("A3 tiny: cache hit, no compression needed", hit.Output, StringComparison.Ordinal);
        Assert.Contains("A3: tiny is a cache hit, copied from the artifact cache in ", hit.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("A3: compressed tiny", hit.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_feed_packed_again_with_the_same_version_is_a_warning_while_the_earlier_package_is_in_use()
    {
        var (project, _) = CreateProject("stale-package", "tiny");
        var first = project.Build().EnsureSuccess();
        var package = feed.PackagePath("A3.Sdk");
        var original = File.ReadAllBytes(package);
        CommandResult stale;
        try
        {
            // Another pack of the same version: other bytes under the same name in the feed restore took A3.Sdk from.
            File.WriteAllBytes(package, [.. original, 0]);
            stale = project.Build("--no-restore").EnsureSuccess();
        }
        finally
        {
            File.WriteAllBytes(package, original);
        }

        var current = project.Build("--no-restore").EnsureSuccess();

        Assert.DoesNotContain("A3308", first.Output, StringComparison.Ordinal);
        Assert.Contains($"warning A3308: A3.Sdk {feed.Version} in ", stale.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("A3308", current.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void SecondBuildSkipsCompression()
    {
        // What a no-op build costs is measured outside the tests (docs/SDK.md); here only that it compresses nothing.
        var (project, log) = CreateProject("second-build", "tiny");
        project.Build().EnsureSuccess();

        var second = project.Build("--no-restore").EnsureSuccess();

        Assert.Single(FakeCompressor.Invocations(log));
        Assert.Contains(SkippedCompression, second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangedInputsRecompress()
    {
        var (project, log) = CreateProject("changed-inputs", "tiny");
        project.Build().EnsureSuccess();

        var recipe = Path.Combine(project.DirectoryPath, "recipes", "tiny.a3.yaml");
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("samples: 4", "samples: 8", StringComparison.Ordinal));
        var afterRecipeEdit = project.Build("--no-restore").EnsureSuccess();
        File.SetLastWriteTimeUtc(Path.Combine(project.DirectoryPath, "model", "model.safetensors"), DateTime.UtcNow.AddSeconds(1));
        var afterModelChange = project.Build("--no-restore").EnsureSuccess();

        Assert.Equal(3, FakeCompressor.Invocations(log).Count);
        Assert.DoesNotContain(SkippedCompression, afterRecipeEdit.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(SkippedCompression, afterModelChange.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void EditedTokenizerBesideALlama2cCheckpointRecompresses()
    {
        // A llama2.c model is a .bin file whose tokenizer lies beside it; the artifact key hashes that tokenizer,
        // so the build's up-to-date check has to see it too, or an edited tokenizer leaves a stale model in bin.
        var (project, log) = CreateProject("llama2c-tokenizer", "stories");
        project.WriteFile("llama2c/stories.bin", "placeholder checkpoint");
        var tokenizer = project.WriteFile("llama2c/tok512.model", "placeholder tokenizer");
        project.WriteFile("recipes/stories.a3.yaml", FakeRecipe.Text("stories", model: "../llama2c/stories.bin"));
        project.Build().EnsureSuccess();
        var unchanged = project.Build("--no-restore").EnsureSuccess();

        File.WriteAllText(tokenizer, "an edited tokenizer");
        File.SetLastWriteTimeUtc(tokenizer, DateTime.UtcNow.AddSeconds(1));
        var afterTokenizerEdit = project.Build("--no-restore").EnsureSuccess();

        Assert.Contains(SkippedCompression, unchanged.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(SkippedCompression, afterTokenizerEdit.Output, StringComparison.Ordinal);
        Assert.Equal(2, FakeCompressor.Invocations(log).Count);
    }

    [Fact]
    public void DeletedModelIsProducedAgain()
    {
        var (project, log) = CreateProject("deleted-model", "tiny");
        project.Build().EnsureSuccess();

        Directory.Delete(Path.Combine(project.IntermediateDirectory, "a3", "a3", "tiny"), recursive: true);
        project.Build("--no-restore").EnsureSuccess();

        Assert.Equal(2, FakeCompressor.Invocations(log).Count);
        Assert.True(File.Exists(Path.Combine(project.OutputDirectory, "a3", "tiny", "model.safetensors")));
    }

    [Fact]
    public void RecipeTypoFailsTheBuildAtItsLineAndColumnBeforeAnyCompressorRuns()
    {
        var (project, log) = CreateProject("typo", "tiny");
        var recipe = Path.Combine(project.DirectoryPath, "recipes", "tiny.a3.yaml");
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("samples: 4", "sampels: 4", StringComparison.Ordinal));

        var result = project.Build();

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{recipe}(6,3): error A3100:", result.Output, StringComparison.Ordinal);
        Assert.Contains("samples", result.Output[result.Output.IndexOf("error A3100:", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Empty(FakeCompressor.Invocations(log));
    }

    [Fact]
    public void CompressorDiagnosticsBecomeBuildErrorsAndWarnings()
    {
        var (project, _) = CreateProject("compressor-errors", "tiny");
        project.Environment[FakeCompressor.ModeVariable] = "fail";
        var recipe = Path.Combine(project.DirectoryPath, "recipes", "tiny.a3.yaml");

        var result = project.Build();

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{recipe}(8,5): error A3104: calibration data is unreadable", result.Output, StringComparison.Ordinal);
        Assert.Contains($"{recipe}(7,3): warning A3109: the fake compressor warns", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("error A3303", result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(project.IntermediateDirectory, "a3", "a3", "tiny")));
    }

    [Fact]
    public void CustomOutputPathPlacesTheModelThere()
    {
        var (project, _) = CreateProject("output-path", "tiny", """OutputPath="models/custom" """);

        project.Build().EnsureSuccess();

        Assert.True(File.Exists(Path.Combine(project.OutputDirectory, "models", "custom", "model.safetensors")));
        Assert.False(Directory.Exists(Path.Combine(project.OutputDirectory, "a3")));
    }

    [Fact]
    public void A_recipe_that_ships_only_onnx_puts_only_the_onnx_folder_in_bin_and_publish()
    {
        var (project, _) = CreateProject("onnx-only", "tiny");
        project.WriteFile("recipes/tiny.a3.yaml", FakeRecipe.Text("tiny") + "\noutput:\n  formats: [onnx]\n");

        project.Build().EnsureSuccess();
        project.Publish("--no-restore", "-c", "Debug").EnsureSuccess();

        foreach (var folder in new[] { project.OutputDirectory, project.PublishDirectory })
        {
            var model = Path.Combine(folder, "a3", "tiny");
            Assert.Equal("fake graph of tiny.a3.yaml", File.ReadAllText(Path.Combine(model, "onnx", "model.onnx")).Trim());
            Assert.False(File.Exists(Path.Combine(model, "model.safetensors")), "safetensors is not listed, so it stays in obj/");
            Assert.False(Directory.Exists(Path.Combine(model, "tokenizer")), "only the onnx subfolder ships");
        }
    }

    [Fact]
    public void DesignTimeAndSkippedBuildsNeverCompress()
    {
        var (project, log) = CreateProject("never-compress", "tiny");

        project.Build("-p:A3SkipCompression=true").EnsureSuccess();
        project.Build("--no-restore", "-p:DesignTimeBuild=true").EnsureSuccess();

        Assert.Empty(FakeCompressor.Invocations(log));
        Assert.False(Directory.Exists(Path.Combine(project.OutputDirectory, "a3")));
    }

    [Fact]
    public void CleanRemovesTheProjectsModelsButNotTheCache()
    {
        var (project, _) = CreateProject("clean", "tiny");
        project.Build().EnsureSuccess();
        var cacheEntry = Path.Combine(feed.Root, "cache-clean", "fake-entry");
        Assert.True(File.Exists(cacheEntry));

        project.Clean().EnsureSuccess();

        var binModel = Path.Combine(project.OutputDirectory, "a3");
        Assert.False(Directory.Exists(binModel), "no model file and no empty model folder is left in bin");
        Assert.False(Directory.Exists(Path.Combine(project.IntermediateDirectory, "a3")));
        Assert.True(File.Exists(cacheEntry), "the shared cache survives a clean");
    }

    [Fact]
    public void LibTorchIsFoundInAFallbackPackageFolder()
    {
        // Restore into a project-local folder with the global one as a read-only fallback (as the repository's
        // samples do): libtorch then stays in the fallback folder, which NuGetPackageRoot does not name.
        var project = feed.CreateProject("fallback-folder");
        FakeRecipe.WriteTo(project, "tiny");
        project.WriteProjectFile($"""
            {FakeRecipe.Properties(Path.Combine(feed.Root, "cache-fallback-folder"))}
              <PropertyGroup>
                <RestorePackagesPath>{Path.Combine(project.DirectoryPath, "packages")}</RestorePackagesPath>
                <RestoreFallbackFolders>{PackageFeed.GlobalPackagesFolder()}</RestoreFallbackFolders>
              </PropertyGroup>
              <ItemGroup>
                <A3Compress Include="recipes/tiny.a3.yaml" />
              </ItemGroup>
            """);
        var log = Path.Combine(project.DirectoryPath, "fake-a3.log");
        project.Environment[FakeCompressor.LogVariable] = log;

        var build = project.Build().EnsureSuccess();

        Assert.False(Directory.Exists(Path.Combine(project.DirectoryPath, "packages", "libtorch-cpu-linux-x64")), "libtorch was extracted locally, so the fallback was not exercised");
        Assert.DoesNotContain("A3307", build.Output, StringComparison.Ordinal);
        Assert.Single(FakeCompressor.Invocations(log));
    }

    private (ConsumerProject Project, string Log) CreateProject(string name, string recipeName, string itemMetadata = "", string? cache = null)
    {
        var project = feed.CreateProject(name);
        FakeRecipe.WriteTo(project, recipeName);
        project.WriteProjectFile($"""
            {FakeRecipe.Properties(cache ?? Path.Combine(feed.Root, "cache-" + name))}
              <ItemGroup>
                <A3Compress Include="recipes/{recipeName}.a3.yaml" {itemMetadata}/>
              </ItemGroup>
            """);
        var log = Path.Combine(project.DirectoryPath, "fake-a3.log");
        project.Environment[FakeCompressor.LogVariable] = log;
        return (project, log);
    }
}
