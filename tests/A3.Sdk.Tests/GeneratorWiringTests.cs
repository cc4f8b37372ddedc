using System.Text.Json;
using A3.Sdk.Tests.Infrastructure;

namespace A3.Sdk.Tests;

/// <summary>The contract with the source generator: every A3Compress recipe reaches the compiler as an AdditionalFiles item with its metadata visible.</summary>
[Collection(PackageFeedCollection.Name)]
public sealed class GeneratorWiringTests(PackageFeed feed)
{
    [Fact]
    public void RecipesReachTheCompilerAsAdditionalFilesWithTheirMetadata()
    {
        var project = feed.CreateProject("generator-wiring");
        FakeRecipe.WriteTo(project, "tiny");
        project.WriteFile("recipes/other.a3.yaml", FakeRecipe.Text("other"));
        project.WriteProjectFile("""
              <PropertyGroup>
                <A3GeneratedNamespace>Models</A3GeneratedNamespace>
              </PropertyGroup>
              <ItemGroup>
                <A3Compress Include="recipes/tiny.a3.yaml" />
                <A3Compress Include="recipes/other.a3.yaml" OutputPath="models/other" ClassName="OtherModel" />
              </ItemGroup>
            """);
        project.Run(["restore", "-tl:off"]).EnsureSuccess();

        var result = project.Run(["msbuild", "-getItem:AdditionalFiles", "-getItem:CompilerVisibleItemMetadata", "-getItem:CompilerVisibleProperty"]).EnsureSuccess();

        using var json = JsonDocument.Parse(result.Output);
        var items = json.RootElement.GetProperty("Items");
        var files = items.GetProperty("AdditionalFiles").EnumerateArray()
            .ToDictionary(item => item.GetProperty("Identity").GetString()!, item => item);
        Assert.Equal("A3Compress", files["recipes/tiny.a3.yaml"].GetProperty("A3SourceItemType").GetString());
        Assert.Equal(string.Empty, files["recipes/tiny.a3.yaml"].GetProperty("A3OutputPath").GetString());
        Assert.Equal("models/other", files["recipes/other.a3.yaml"].GetProperty("A3OutputPath").GetString());
        Assert.Equal("OtherModel", files["recipes/other.a3.yaml"].GetProperty("A3ClassName").GetString());
        Assert.Equal("Never", files["recipes/other.a3.yaml"].GetProperty("CopyToOutputDirectory").GetString());

        var visibleMetadata = items.GetProperty("CompilerVisibleItemMetadata").EnumerateArray()
            .Where(item => item.GetProperty("Identity").GetString() == "AdditionalFiles")
            .Select(item => item.GetProperty("MetadataName").GetString())
            .ToList();
        Assert.Subset(visibleMetadata.ToHashSet(), new HashSet<string?> { "A3SourceItemType", "A3OutputPath", "A3ClassName" });
        var visibleProperties = items.GetProperty("CompilerVisibleProperty").EnumerateArray().Select(item => item.GetProperty("Identity").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "RootNamespace", "A3GeneratedNamespace" }, visibleProperties);
    }
}
