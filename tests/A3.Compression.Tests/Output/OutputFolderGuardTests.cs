using A3.Compression.Caching;
using A3.Compression.Output;
using A3.Compression.Recipes;
using A3.Recipes;
using A3.Runtime;
using A3.Runtime.IO;
using A3.Runtime.Reporting;

namespace A3.Compression.Tests.Output;

/// <summary>
/// Which folders a compression may replace. The guard only checks (and recovers hidden leftovers), but every folder it is
/// asked about is a scratch copy all the same, so a guard that wrongly said yes could not cost a real file.
/// </summary>
public sealed class OutputFolderGuardTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-output-guard-").FullName;

    public OutputFolderGuardTests()
    {
        WriteFile(Model, "config.json", "{}");
        WriteFile(Model, "model.safetensors", "weights");
        WriteFile(Path.Combine(scratch, "data"), "calibration.txt", "text");
        WriteFile(Path.Combine(scratch, "data"), "evaluation.txt", "text");
        WriteFile(ArtifactCacheRoot, "0123.lock", string.Empty);
        WriteFile(StatisticsRoot, "layer.safetensors", "statistics");
    }

    private string Model => Path.Combine(scratch, "model");

    private string ArtifactCacheRoot => Path.Combine(scratch, "caches", "artifacts");

    private string StatisticsRoot => Path.Combine(scratch, "caches", "statistics");

    private Recipe Recipe => new()
    {
        Name = "guarded",
        BaseDirectory = scratch,
        Model = Model,
        Calibration = new CalibrationSection { Data = Path.Combine(scratch, "data", "calibration.txt") },
        Evaluation = new EvaluationSection { Data = Path.Combine(scratch, "data", "evaluation.txt") },
    };

    private RecipeCompressionOptions Options => new() { ArtifactCache = new ArtifactCache(ArtifactCacheRoot), StatisticsCacheFolder = StatisticsRoot };

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Theory]
    [InlineData("model", "is the recipe's model")]
    [InlineData(".", "holds the recipe's model")]
    [InlineData("data", "holds the calibration data")]
    [InlineData("caches/artifacts", "is the artifact cache")]
    [InlineData("caches/statistics", "is the statistics cache")]
    [InlineData("caches", "holds the artifact cache")]
    [InlineData("caches/artifacts/0123", "lies inside the artifact cache")]
    public void The_runs_inputs_and_caches_and_what_holds_them_are_refused(string relative, string reason)
    {
        var before = Snapshot();

        var error = Assert.Throws<InvalidSettingException>(() => Check(Path.Combine(scratch, relative)));

        Assert.Equal(ModelFolderDestination.Setting, error.Setting);
        Assert.Equal(A3ErrorCodes.InvalidSetting, error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void A_folder_of_user_files_is_refused_and_kept()
    {
        WriteFile(Path.Combine(scratch, "photos"), "holiday.jpg", "pixels");
        var before = Snapshot();

        var error = Assert.Throws<InvalidSettingException>(() => Check(Path.Combine(scratch, "photos")));

        Assert.Contains("holds files and is not an A3 output (no a3-report.json, a3-manifest.json or config.json with an \"a3\" object)", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void The_file_system_root_is_refused()
    {
        var error = Assert.Throws<InvalidSettingException>(() => Check(Path.GetPathRoot(scratch)!));

        Assert.Contains("is the root of the file system", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_existing_file_is_refused()
    {
        WriteFile(scratch, "taken", "a file");

        var error = Assert.Throws<InvalidSettingException>(() => Check(Path.Combine(scratch, "taken")));

        Assert.Contains("is an existing file", error.Message, StringComparison.Ordinal);
        Assert.Equal("a file", File.ReadAllText(Path.Combine(scratch, "taken")));
    }

    [Fact]
    public void A_link_is_refused()
    {
        var link = Path.Combine(scratch, "link");
        Directory.CreateSymbolicLink(link, Model);

        var error = Assert.Throws<InvalidSettingException>(() => Check(link));

        Assert.Contains("is a link", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a3-report.json")]
    [InlineData("a3-manifest.json")]
    public void A_new_or_empty_folder_or_an_earlier_output_may_be_replaced(string? content)
    {
        var folder = Path.Combine(scratch, "out");
        if (content is not null)
        {
            Directory.CreateDirectory(folder);
        }

        if (content is { Length: > 0 })
        {
            WriteFile(folder, content, "{}");
            WriteFile(folder, "config.json", "{}");
        }

        Assert.Equal(folder, Check(folder + Path.DirectorySeparatorChar));
    }

    [Fact]
    public void The_files_that_mark_an_output_are_the_report_and_the_manifest()
    {
        Assert.Equal(
            ["a3-manifest.json", "a3-report.json"],
            new[] { CompressionReportFile.FileName, ArtifactManifest.FileName }.Order(StringComparer.Ordinal));
        WriteFile(Path.Combine(scratch, "report-only"), CompressionReportFile.FileName, "{}");
        WriteFile(Path.Combine(scratch, "manifest-only"), ArtifactManifest.FileName, "{}");

        Assert.True(ModelFolderDestination.IsA3Output(Path.Combine(scratch, "report-only")));
        Assert.True(ModelFolderDestination.IsA3Output(Path.Combine(scratch, "manifest-only")));
        Assert.False(ModelFolderDestination.IsA3Output(Model));
    }

    [Fact]
    public void A_previous_output_a_killed_run_left_aside_is_put_back_before_the_check()
    {
        var aside = Path.Combine(scratch, $".out.old-{int.MaxValue}-{Guid.NewGuid():N}");
        WriteFile(aside, CompressionReportFile.FileName, "previous");

        var checkedFolder = Check(Path.Combine(scratch, "out"));

        Assert.Equal("previous", File.ReadAllText(Path.Combine(checkedFolder, CompressionReportFile.FileName)));
        Assert.False(Directory.Exists(aside));
    }

    private static void WriteFile(string folder, string name, string content)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name), content);
    }

    private string Check(string folder) => OutputFolderGuard.Check(folder, Recipe, Options);

    /// <summary>Every file under the scratch folder with its content, to show a refusal touched nothing.</summary>
    private List<string> Snapshot() =>
        Directory.EnumerateFiles(scratch, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(scratch, file) + "=" + File.ReadAllText(file))
            .Order(StringComparer.Ordinal)
            .ToList();
}
