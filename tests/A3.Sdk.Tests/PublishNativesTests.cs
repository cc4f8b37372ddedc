using A3.Sdk.Tests.Infrastructure;

namespace A3.Sdk.Tests;

/// <summary>What a publish of an app using A3.Sdk and A3.Runtime carries of TorchSharp's per-platform natives.</summary>
[Collection(PackageFeedCollection.Name)]
public sealed class PublishNativesTests(PackageFeed feed)
{
    [Fact]
    public void A_publish_without_a_runtime_identifier_carries_only_this_platforms_natives_unless_asked_for_all()
    {
        var project = feed.CreateProject("publish-natives").WriteProjectFile(string.Empty, referenceRuntime: true);
        project.Build().EnsureSuccess();

        project.Publish("--no-restore", "-c", "Debug").EnsureSuccess();
        var lean = RuntimeFolders(project.PublishDirectory);
        project.Publish("--no-restore", "-c", "Debug", "-p:A3PublishAllNatives=true", "-o", Path.Combine(project.DirectoryPath, "publish-all")).EnsureSuccess();
        var all = RuntimeFolders(Path.Combine(project.DirectoryPath, "publish-all"));

        Assert.Equal(["linux-x64"], lean);
        Assert.Contains("win-x64", all);
        Assert.Contains("linux-x64", all);
    }

    private static string[] RuntimeFolders(string publish) =>
        [.. Directory.GetDirectories(Path.Combine(publish, "runtimes")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
}
