using A3.Sdk.Tests.Infrastructure;

namespace A3.Sdk.Tests;

/// <summary>Ctrl+C during compression: the compressor is stopped, with its process tree, and no model, partial or whole, is left behind.</summary>
[Collection(PackageFeedCollection.Name)]
public sealed class CancellationTests(PackageFeed feed)
{
    private static readonly TimeSpan ProgressTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData("sleep")]
    [InlineData("stubborn")]
    public void InterruptedBuildLeavesNoPartialModel(string mode)
    {
        var project = feed.CreateProject("cancel-" + mode);
        FakeRecipe.WriteTo(project, "tiny");
        // A stubborn compressor is killed after the stop timeout; one second keeps the test short.
        project.WriteProjectFile($"""
            {FakeRecipe.Properties(Path.Combine(feed.Root, "cache-cancel-" + mode))}
              <PropertyGroup>
                <A3CompressorStopTimeout>1</A3CompressorStopTimeout>
              </PropertyGroup>
              <ItemGroup>
                <A3Compress Include="recipes/tiny.a3.yaml" />
              </ItemGroup>
            """);
        var pidFile = Path.Combine(project.DirectoryPath, "fake-a3.pid");
        project.Environment[FakeCompressor.ModeVariable] = mode;
        project.Environment[FakeCompressor.PidFileVariable] = pidFile;

        using var build = project.Start(["build", .. ConsumerProject.CommonSwitches]);
        using var compressing = new ManualResetEventSlim();
        build.LineReceived += line =>
        {
            if (line.Contains("A3 tiny: compress layer 0 1/2", StringComparison.Ordinal) && File.Exists(pidFile))
            {
                compressing.Set();
            }
        };
        Assert.True(compressing.Wait(ProgressTimeout), "the compressor never reported progress");
        var pids = File.ReadAllText(pidFile).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();

        UnixProcesses.Interrupt(build.Id);
        var result = build.WaitForExit(ExitTimeout);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("A3: compression of", result.Output, StringComparison.Ordinal);
        if (mode == "sleep")
        {
            // It stopped on the interrupt (its own clean-up ran), not on the kill that follows the grace period.
            Assert.Contains("a3: cancelled", result.Output, StringComparison.Ordinal);
        }

        Assert.All(pids, pid => Assert.False(UnixProcesses.IsAlive(pid), $"process {pid} of the compressor survived the build"));
        var produced = Path.Combine(project.IntermediateDirectory, "a3", "a3");
        Assert.False(Directory.Exists(Path.Combine(produced, "tiny")), "no model folder after cancellation");
        Assert.Empty(Directory.Exists(produced) ? Directory.GetFileSystemEntries(produced, ".tiny*") : []);
        Assert.False(File.Exists(Path.Combine(produced, "tiny.a3stamp")), "the batch is not marked up to date");
        Assert.False(Directory.Exists(Path.Combine(project.OutputDirectory, "a3")));
    }
}
