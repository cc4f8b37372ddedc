using A3.Recipes;
using System.Xml.Linq;
using A3.Tests;

namespace A3.Templates.Tests;

/// <summary><c>dotnet new a3-app</c>: the project, recipe, program and schema, with the parameters substituted.</summary>
[Collection(TemplatesCollection.Name)]
public sealed class AppTemplateTests(TemplatePackage templates)
{
    [Fact]
    public void Creates_the_project_recipe_program_schema_and_sample_text()
    {
        var folder = templates.Create("a3-app", "--name", "Stories.App");

        var files = Directory.GetFiles(Path.Combine(folder, "Stories.App"), "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Path.Combine(folder, "Stories.App"), file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

        Assert.Equal(["Program.cs", "Stories.App.csproj", "data/sample.txt", "recipes/a3-recipe.schema.json", "recipes/model.a3.yaml"], files);
    }

    [Fact]
    public void The_project_references_the_packages_at_the_template_version_and_compresses_the_recipe()
    {
        var project = XDocument.Load(Path.Combine(templates.Create("a3-app", "--name", "Stories.App"), "Stories.App", "Stories.App.csproj"));

        Assert.Equal(templates.Version, PackageVersion(project, "A3.Sdk"));
        Assert.Equal(templates.Version, PackageVersion(project, "A3.Runtime"));
        Assert.Equal(["recipes/model.a3.yaml"], project.Descendants("A3Compress").Select(item => (string?)item.Attribute("Include")));
        Assert.Equal("Stories.App", project.Descendants("RootNamespace").Single().Value);
    }

    [Fact]
    public void The_onnx_runtime_references_A3_OnnxRuntime_ships_the_export_and_runs_it_without_torch()
    {
        var folder = Path.Combine(templates.Create("a3-app", "--name", "App", "--runtime", "onnx"), "App");
        var project = XDocument.Load(Path.Combine(folder, "App.csproj"));
        var program = File.ReadAllText(Path.Combine(folder, "Program.cs"));

        Assert.Equal(templates.Version, PackageVersion(project, "A3.OnnxRuntime"));
        Assert.DoesNotContain(project.Descendants("PackageReference"), item => (string?)item.Attribute("Include") == "A3.Runtime");
        Assert.Equal([RecipeOutputFormat.Onnx], RecipeTemplateTests.Parse(Path.Combine(folder, "recipes", "model.a3.yaml")).Output.Formats);
        Assert.Contains("AppModel.Load()", program, StringComparison.Ordinal);
        Assert.Contains("AppModel.OnnxDirectory", program, StringComparison.Ordinal);
        Assert.DoesNotContain("TorchSharp", program, StringComparison.Ordinal);
        Assert.DoesNotContain("#if", program, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_runtime_is_torchsharp_and_ships_the_safetensors_model()
    {
        var folder = Path.Combine(templates.Create("a3-app", "--name", "App"), "App");

        Assert.Equal([RecipeOutputFormat.Safetensors], RecipeTemplateTests.Parse(Path.Combine(folder, "recipes", "model.a3.yaml")).Output.Formats);
        Assert.Contains("using TorchSharp;", File.ReadAllText(Path.Combine(folder, "Program.cs")), StringComparison.Ordinal);
        Assert.DoesNotContain("#if", File.ReadAllText(Path.Combine(folder, "Program.cs")), StringComparison.Ordinal);
    }

    [Fact]
    public void A3_version_overrides_the_package_version()
    {
        var project = XDocument.Load(Path.Combine(templates.Create("a3-app", "--name", "App", "--a3-version", "9.8.7"), "App", "App.csproj"));

        Assert.Equal("9.8.7", PackageVersion(project, "A3.Sdk"));
        Assert.Equal("9.8.7", PackageVersion(project, "A3.Runtime"));
    }

    [Fact]
    public void The_program_loads_the_model_through_the_class_generated_in_the_root_namespace()
    {
        var program = File.ReadAllText(Path.Combine(templates.Create("a3-app", "--name", "my-app"), "my-app", "Program.cs"));

        Assert.Contains("using my_app.A3;", program, StringComparison.Ordinal);
        Assert.Contains("AppModel.Load()", program, StringComparison.Ordinal);
        Assert.Contains("CompressionReportFile.ReadFromModelFolder(AppModel.OutputDirectory)", program, StringComparison.Ordinal);
    }

    [Fact]
    public void The_recipe_takes_the_model_calibration_and_ratios()
    {
        var folder = templates.Create("a3-app", "--name", "App", "--model", "/models/llama", "--calibration", "/data/c4.txt", "--qk", "0.25", "--ov", "0.125");

        var recipe = RecipeTemplateTests.Parse(Path.Combine(folder, "App", "recipes", "model.a3.yaml"));

        Assert.Equal("app-model", recipe.Name);
        Assert.Equal("/models/llama", recipe.Model);
        Assert.Equal("/data/c4.txt", recipe.Calibration.Data);
        Assert.Null(recipe.Compression.Budget);
        Assert.Equal((0.25, 0.125, 0.0), (recipe.Compression.Qk, recipe.Compression.Ov, recipe.Compression.Mlp));
    }

    [Fact]
    public void The_recipe_defaults_to_a_budget()
    {
        var folder = templates.Create("a3-app", "--name", "App", "--budget", "0.35");

        var recipe = RecipeTemplateTests.Parse(Path.Combine(folder, "App", "recipes", "model.a3.yaml"));

        Assert.Equal(0.35, recipe.Compression.Budget);
        Assert.Equal("../models/my-model", recipe.Model);
    }

    [Fact]
    public void The_recipe_schema_line_names_the_repository_schema_shipped_beside_it()
    {
        var recipes = Path.Combine(templates.Create("a3-app", "--name", "App"), "App", "recipes");

        var line = File.ReadLines(Path.Combine(recipes, "model.a3.yaml")).First();

        Assert.Equal("# yaml-language-server: $schema=a3-recipe.schema.json", line);
        Assert.Equal(
            File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "schemas", "a3-recipe.schema.json")),
            File.ReadAllText(Path.Combine(recipes, "a3-recipe.schema.json")));
    }

    [Fact]
    public void The_default_calibration_is_the_shipped_sample_text()
    {
        var recipes = Path.Combine(templates.Create("a3-app", "--name", "App"), "App", "recipes");

        var recipe = RecipeTemplateTests.Parse(Path.Combine(recipes, "model.a3.yaml"));

        Assert.Equal("../data/sample.txt", recipe.Calibration.Data);
        Assert.True(File.Exists(Path.Combine(recipes, recipe.Calibration.Data)));

        // The sample text has no windows to spare for a search's selection windows; a calibration of one's own does.
        Assert.Equal(RecipeAllocation.Uniform, recipe.Compression.Allocation);
        var own = RecipeTemplateTests.Parse(Path.Combine(templates.Create("a3-app", "--name", "App", "--calibration", "/data/c4.txt"), "App", "recipes", "model.a3.yaml"));
        Assert.Equal(RecipeAllocation.Search, own.Compression.Allocation);
    }

    [Theory]
    [InlineData("--qk", "-0.2", "qk")]
    [InlineData("--budget", "1.5", "budget")]
    public void A_value_out_of_range_is_written_as_given_and_refused_at_its_recipe_line(string option, string value, string key)
    {
        var path = Path.Combine(templates.Create("a3-app", "--name", "App", option, value), "App", "recipes", "model.a3.yaml");

        var diagnostic = Assert.Single(RecipeParser.Parse(File.ReadAllText(path), path, checkFiles: false).Diagnostics);

        Assert.Equal("A3102", diagnostic.Code);
        Assert.Equal($"  {key}: {value}", File.ReadLines(path).ElementAt(diagnostic.Line - 1));
    }

    [Fact]
    public void A_feed_writes_a_nuget_config_that_adds_it()
    {
        var project = Path.Combine(templates.Create("a3-app", "--name", "App", "--feed", "/src/a3/artifacts/packages"), "App");

        var sources = XDocument.Load(Path.Combine(project, "nuget.config")).Descendants("packageSources").Single();

        Assert.Equal(["/src/a3/artifacts/packages"], sources.Elements("add").Select(add => (string?)add.Attribute("value")));
        Assert.Empty(sources.Elements("clear"));
    }

    [Fact]
    public void The_next_steps_ask_only_for_what_was_not_given()
    {
        var (_, given) = templates.CreateWithOutput("a3-app", "--name", "App", "--model", "/models/llama", "--feed", "/packages");
        var (_, defaults) = templates.CreateWithOutput("a3-app", "--name", "App");

        Assert.DoesNotContain("Point 'model:'", given, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet nuget add source", given, StringComparison.Ordinal);
        Assert.Contains("Point 'model:'", defaults, StringComparison.Ordinal);
        Assert.Contains("dotnet nuget add source", defaults, StringComparison.Ordinal);
        Assert.All(new[] { given, defaults }, output => Assert.Contains("un 'dotnet build' (it shows the compression's progress", output, StringComparison.Ordinal));
    }

    private static string? PackageVersion(XDocument project, string id) =>
        (string?)project.Descendants("PackageReference").Single(reference => (string?)reference.Attribute("Include") == id).Attribute("Version");
}
