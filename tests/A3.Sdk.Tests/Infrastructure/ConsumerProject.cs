namespace A3.Sdk.Tests.Infrastructure;

/// <summary>
/// A console project in a temporary folder that uses the packed A3 packages: a <c>nuget.config</c> adds the
/// test feed to the sources this machine is configured with, and empty <c>Directory.Build.*</c> files keep
/// the repository's (or anyone's) build customisations out.
/// </summary>
internal sealed class ConsumerProject
{
    /// <summary>Switches every build, publish and clean gets: one in-process node, no node reuse, no compiler server, plain normal-verbosity text.</summary>
    public static readonly string[] CommonSwitches = ["-nodeReuse:false", "-m:1", "-tl:off", "-v:n", "-p:UseSharedCompilation=false"];

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);
    private readonly PackageFeed feed;

    /// <summary>Creates the folder with its <c>nuget.config</c> and build-customisation guards.</summary>
    public ConsumerProject(PackageFeed feed, string directory)
    {
        this.feed = feed;
        DirectoryPath = directory;
        Directory.CreateDirectory(directory);
        WriteFile("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="a3-tests" value="{feed.FeedDirectory}" />
              </packageSources>
            </configuration>
            """);
        WriteFile("Directory.Build.props", "<Project />");
        WriteFile("Directory.Build.targets", "<Project />");
        WriteFile("Program.cs", "System.Console.WriteLine(\"ok\");");
    }

    /// <summary>Gets the project folder.</summary>
    public string DirectoryPath { get; }

    /// <summary>Gets the variables every command of this project runs with (the fake compressor's switches).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>Gets the Debug output directory.</summary>
    public string OutputDirectory => Path.Combine(DirectoryPath, "bin", "Debug", "net10.0");

    /// <summary>Gets the Debug intermediate directory.</summary>
    public string IntermediateDirectory => Path.Combine(DirectoryPath, "obj", "Debug", "net10.0");

    /// <summary>Gets the default publish directory.</summary>
    public string PublishDirectory => Path.Combine(OutputDirectory, "publish");

    /// <summary>Writes the project file: a net10.0 console app referencing A3.Sdk (and A3.Runtime when asked) plus <paramref name="body"/>.</summary>
    public ConsumerProject WriteProjectFile(string body, bool referenceRuntime = false) =>
        WriteProjectFile(referenceRuntime ? ["A3.Sdk", "A3.Runtime"] : ["A3.Sdk"], body);

    /// <summary>Writes the project file: a net10.0 console app referencing exactly <paramref name="packages"/> (at the feed's version) plus <paramref name="body"/>.</summary>
    public ConsumerProject WriteProjectFile(IEnumerable<string> packages, string body = "")
    {
        var references = string.Join("\n    ", packages.Select(id => $"""<PackageReference Include="{id}" Version="{feed.Version}" />"""));
        WriteFile(Path.GetFileName(DirectoryPath) + ".csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                {references}
              </ItemGroup>
            {body}
            </Project>
            """);
        return this;
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="relativePath"/> and returns the full path.</summary>
    public string WriteFile(string relativePath, string content)
    {
        var path = Path.Combine(DirectoryPath, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs <c>dotnet build</c> with <see cref="CommonSwitches"/> and <paramref name="arguments"/>.</summary>
    public CommandResult Build(params string[] arguments) => Run(["build", .. CommonSwitches, .. arguments]);

    /// <summary>Runs <c>dotnet publish</c> with <see cref="CommonSwitches"/> and <paramref name="arguments"/>.</summary>
    public CommandResult Publish(params string[] arguments) => Run(["publish", .. CommonSwitches, .. arguments]);

    /// <summary>Runs <c>dotnet clean</c> with <see cref="CommonSwitches"/> and <paramref name="arguments"/>.</summary>
    public CommandResult Clean(params string[] arguments) => Run(["clean", .. CommonSwitches, .. arguments]);

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in the project folder and waits for it.</summary>
    public CommandResult Run(IEnumerable<string> arguments)
    {
        using var process = Start(arguments);
        return process.WaitForExit(CommandTimeout);
    }

    /// <summary>Starts <c>dotnet</c> with <paramref name="arguments"/> in the project folder.</summary>
    public DotNetProcess Start(IEnumerable<string> arguments) => DotNetProcess.Start(DirectoryPath, Environment, arguments);
}
