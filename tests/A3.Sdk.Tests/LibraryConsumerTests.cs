using System.IO.Compression;
using System.Xml.Linq;
using A3.Sdk.Tests.Infrastructure;

namespace A3.Sdk.Tests;

/// <summary>The compression library as an application gets it: the packed A3.Compression package.</summary>
[Collection(PackageFeedCollection.Name)]
public sealed class LibraryConsumerTests(PackageFeed feed)
{
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
}
