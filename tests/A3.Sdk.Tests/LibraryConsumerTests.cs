using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using A3.Sdk.Tests.Infrastructure;
using A3.Tests;
using Xunit.Abstractions;

namespace A3.Sdk.Tests;

/// <summary>
/// The compression library as an application gets it: a console project referencing only the packed
/// A3.Compression package calls <c>RecipeCompressor.CompressAsync</c> on a recipe, and must write the same bytes
/// as the <c>a3 compress</c> the A3.Sdk package ships, and a report that reads back as the <c>a3-app</c> template reads it.
/// </summary>
[Collection(PackageFeedCollection.Name)]
public sealed class LibraryConsumerTests(PackageFeed feed, ITestOutputHelper output) : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-library-consumer-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void CompressionPackageDependsOnTheRuntimeAndRecipesPackagesOfItsVersionAndShipsNoNatives()
    {
        using var package = ZipFile.OpenRead(feed.PackagePath("A3.Compression"));
        using var nuspecStream = package.Entries.Single(entry => entry.FullName == "A3.Compression.nuspec").Open();
        var nuspec = XDocument.Load(nuspecStream);
        var dependencies = nuspec.Descendants().Where(element => element.Name.LocalName == "dependency")
            .ToDictionary(element => (string)element.Attribute("id")!, element => element);

        Assert.Equal(feed.Version, (string?)dependencies["A3.Runtime"].Attribute("version"));
        Assert.Equal(feed.Version, (string?)dependencies["A3.Recipes"].Attribute("version"));
        // Central transitive pinning lists A3.Runtime's libtorch dependency here too; it must keep A3.Runtime's
        // exclusions, or every application using the library would copy about 480 MB of natives into its output.
        Assert.All(
            dependencies.Where(dependency => dependency.Key.StartsWith("libtorch-", StringComparison.Ordinal)),
            dependency => Assert.Contains("Native", ((string?)dependency.Value.Attribute("exclude") ?? string.Empty).Split(',')));

        Assert.Contains(package.Entries, entry => entry.FullName == "lib/net10.0/A3.Compression.dll");
        Assert.DoesNotContain(package.Entries, entry => entry.FullName.StartsWith("runtimes/", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void AProgramReferencingOnlyTheCompressionPackageWritesTheBytesOfTheShippedCliAndAReportTheTemplateReads()
    {
        var recipe = SmallRecipe.Write(scratch, "budget: 0.2", SmallRecipe.HeldOutEvaluation());
        var libraryFolder = Path.Combine(scratch, "library");
        var cliFolder = Path.Combine(scratch, "cli");
        var project = feed.CreateProject("library-consumer").WriteProjectFile(["A3.Compression"]);
        // Reads the report back from the folder, as templates/content/a3-app/Program.cs does, not from the returned
        // result; figures are printed invariantly and doubles round-trip, so the test can compare them exactly.
        project.WriteFile("Program.cs", """
            using System.Globalization;
            using A3.Compression.Recipes;
            using A3.Runtime.Native;
            using A3.Runtime.Reporting;

            await RecipeCompressor.CompressAsync(args[0], args[1]);

            var report = CompressionReportFile.ReadFromModelFolder(args[1]);
            Print($"method: {report.Method}");
            Print($"target: {report.Target}");
            Print($"parameters: {report.Before.TotalParameters} -> {report.After.TotalParameters}");
            Print($"kv cache bytes / token: {report.Before.KvCacheBytesPerToken} -> {report.After.KvCacheBytesPerToken}");
            Print($"perplexity: {report.Evaluation!.Perplexity:R} ({report.Evaluation.Tokens} tokens)");
            Print($"libtorch: {TorchNative.Status!.Location.LibTorchDirectory}");

            static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
            """);

        var build = project.Build().EnsureSuccess();
        var run = project.Run(["run", "--no-build", "--", recipe, libraryFolder]).EnsureSuccess();
        // The compressor the A3.Sdk package ships (tools/, run with dotnet exec as its build task runs it), not the
        // repository's build output: the acceptance check is about the shipped bits.
        var cliPath = Path.Combine(feed.ExtractPackage("A3.Sdk"), "tools", "net10.0", "any", "a3.dll");
        var cli = project.Run(["exec", cliPath, "compress", recipe, "--out", cliFolder, "--no-cache"]).EnsureSuccess();
        output.WriteLine($"consumer build {build.Elapsed.TotalSeconds:F1}s, library run {run.Elapsed.TotalSeconds:F1}s, a3 compress {cli.Elapsed.TotalSeconds:F1}s");
        output.WriteLine(run.Output);

        var files = Directory.GetFiles(cliFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["a3-report.json", "config.json", "model.safetensors", "tokenizer.model"], files);
        Assert.Equal(files, Directory.GetFiles(libraryFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(cliFolder, file!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(libraryFolder, file!))), $"{file} differs");
        }

        // The report's own JSON, read here without A3.Runtime, is the reference for what the program printed.
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(cliFolder, "a3-report.json")));
        var report = json.RootElement;
        var evaluation = report.GetProperty("evaluation");
        Assert.Equal(JsonValueKind.Object, evaluation.ValueKind);
        var printed = run.Output.Split('\n', StringSplitOptions.TrimEntries);
        string[] expected =
        [
            $"method: {report.GetProperty("method").GetString()}",
            $"target: {report.GetProperty("target").GetString()}",
            $"parameters: {Figure(report, "before", "total_params")} -> {Figure(report, "after", "total_params")}",
            $"kv cache bytes / token: {Figure(report, "before", "kv_bytes_per_token")} -> {Figure(report, "after", "kv_bytes_per_token")}",
            string.Create(CultureInfo.InvariantCulture, $"perplexity: {evaluation.GetProperty("perplexity").GetDouble():R} ({evaluation.GetProperty("tokens").GetInt64()} tokens)"),
        ];
        Assert.All(expected, line => Assert.Contains(line, printed));
        Assert.Contains("method: a3", printed);
        Assert.Contains("target: budget 0.2 (search)", printed);

        // The dependencies came with the one package reference, at its version. libtorch is restored with it but
        // stays in the NuGet folder: nothing of it in bin, and the program loaded it from outside its output.
        var restored = LibraryIds(project);
        Assert.Contains($"A3.Runtime/{feed.Version}", restored);
        Assert.Contains($"A3.Recipes/{feed.Version}", restored);
        Assert.Contains(restored, id => id.StartsWith("libtorch-cpu-linux-x64/", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(project.OutputDirectory, "libtorch*.so", SearchOption.AllDirectories));
        var loadedFrom = Assert.Single(printed, line => line.StartsWith("libtorch: ", StringComparison.Ordinal))["libtorch: ".Length..];
        Assert.False(
            Path.GetFullPath(loadedFrom).StartsWith(Path.GetFullPath(project.OutputDirectory), StringComparison.Ordinal),
            $"libtorch was loaded from {loadedFrom}, inside the program's output");
    }

    private static string Figure(JsonElement report, string model, string property) =>
        report.GetProperty(model).GetProperty(property).GetInt64().ToString(CultureInfo.InvariantCulture);

    /// <summary>The packages restore resolved for <paramref name="project"/>, as <c>id/version</c>.</summary>
    private static List<string> LibraryIds(ConsumerProject project)
    {
        using var assets = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(project.DirectoryPath, "obj", "project.assets.json")));
        return assets.RootElement.GetProperty("libraries").EnumerateObject().Select(library => library.Name).ToList();
    }
}
