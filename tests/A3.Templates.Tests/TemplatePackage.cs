using System.Reflection;
using A3.Tests;

namespace A3.Templates.Tests;

/// <summary>
/// Packs <c>templates/A3.Templates.csproj</c> with a version of its own and installs the package into
/// a private template hive, so tests never touch the user's installed templates. Reusable by
/// end-to-end tests: <see cref="Create"/> instantiates a template into a new folder.
/// </summary>
public sealed class TemplatePackage : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-templates-").FullName;

    /// <summary>Packs and installs the templates.</summary>
    public TemplatePackage()
    {
        var packages = Path.Combine(scratch, "packages");
        DotnetCli.Run(
            Fixtures.RepositoryRoot,
            "pack", Path.Combine("templates", "A3.Templates.csproj"),
            "--configuration", Configuration, "--no-build", "--output", packages,
            $"-p:PackageVersion={Version}", $"-p:NuspecOutputPath={Path.Combine(scratch, "nuspec")}/");
        PackagePath = Path.Combine(packages, $"A3.Templates.{Version}.nupkg");
        DotnetCli.Run(scratch, "new", "install", PackagePath, "--debug:custom-hive", Hive);
    }

    /// <summary>Gets the version the templates were packed with, which a3-app projects reference by default.</summary>
    public string Version { get; } = "0.0.1-test." + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Gets the packed template package.</summary>
    public string PackagePath { get; }

    private static string Configuration { get; } =
        typeof(TemplatePackage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "A3.Configuration").Value!;

    private string Hive => Path.Combine(scratch, "hive");

    /// <summary>Runs <c>dotnet new <paramref name="shortName"/></c> in a new empty folder and returns the folder.</summary>
    /// <param name="shortName">The template's short name, e.g. <c>a3-recipe</c>.</param>
    /// <param name="arguments">Template options, e.g. <c>--budget 0.3</c>.</param>
    public string Create(string shortName, params string[] arguments) => CreateWithOutput(shortName, arguments).Folder;

    /// <summary>Runs <c>dotnet new</c> as <see cref="Create"/> does and returns the folder and what <c>dotnet new</c> printed (its post-action instructions).</summary>
    public (string Folder, string Output) CreateWithOutput(string shortName, params string[] arguments)
    {
        var folder = Directory.CreateDirectory(Path.Combine(scratch, "out-" + Guid.NewGuid().ToString("N"))).FullName;
        var output = DotnetCli.Run(folder, ["new", shortName, .. arguments, "--debug:custom-hive", Hive]);
        return (folder, output);
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(scratch, recursive: true);
}
