namespace A3.Sdk.Tests;

/// <summary>How the task reads the compressor's lines (the forms <c>a3</c> prints: see A3.Cli's error and progress output).</summary>
public sealed class CompressorOutputParserTests
{
    [Theory]
    [InlineData("a3: compress layer 0 (qk 6/8 err 0.0013) 1/5 (1.9s, ETA 7.7s)")]
    [InlineData("a3: calibrate 128/128 (12.0s)")]
    public void ProgressLinesAreRecognised(string line) => Assert.True(CompressorOutputParser.IsProgress(line));

    [Theory]
    [InlineData("a3: cache miss 0123abcd")]
    [InlineData("wrote /tmp/out")]
    [InlineData("a3: error A3001: --device must be cpu, cuda, cuda:N or auto")]
    public void OtherLinesAreNotProgress(string line) => Assert.False(CompressorOutputParser.IsProgress(line));

    [Fact]
    public void ProgressLineKeepsItsStageCountsAndElapsedTime()
    {
        var progress = CompressorOutputParser.TryParseProgress("a3: compress layer 0 (qk 6/8 err 0.0013) 1/5 (1.9s, ETA 7.7s)");

        Assert.NotNull(progress);
        Assert.Equal(("compress layer 0 (qk 6/8 err 0.0013)", 1, 5, 1.9), (progress.Stage, progress.Completed, progress.Total, progress.ElapsedSeconds));
        Assert.Equal("compress layer 0 (qk 6/8 err 0.0013) 1/5 (1.9s, ETA 7.7s)", progress.Text);
    }

    [Theory]
    [InlineData("a3: cache hit 0123abcd", true)]
    [InlineData("a3: cache miss 0123abcd", false)]
    [InlineData("a3: cache entry 0123abcd is being written by another process; waiting", null)]
    public void CacheOutcomeIsRecognised(string line, bool? hit) => Assert.Equal(hit, CompressorOutputParser.TryParseCacheHit(line));

    [Fact]
    public void LocatedErrorKeepsFileLineAndColumn()
    {
        var diagnostic = CompressorOutputParser.TryParseDiagnostic("/src/app/recipes/x.a3.yaml(12,7): error A3100: unknown key 'sampels'; did you mean 'samples'?");

        Assert.NotNull(diagnostic);
        Assert.True(diagnostic.IsError);
        Assert.Equal("/src/app/recipes/x.a3.yaml", diagnostic.File);
        Assert.Equal((12, 7), (diagnostic.Line, diagnostic.Column));
        Assert.Equal("A3100", diagnostic.Code);
        Assert.Equal("unknown key 'sampels'; did you mean 'samples'?", diagnostic.Message);
    }

    [Fact]
    public void LocatedWarningIsAWarning()
    {
        var diagnostic = CompressorOutputParser.TryParseDiagnostic("C:\\app\\x.a3.yaml(3,1): warning A3109: budget rounds to zero");

        Assert.NotNull(diagnostic);
        Assert.False(diagnostic.IsError);
        Assert.Equal("C:\\app\\x.a3.yaml", diagnostic.File);
    }

    [Fact]
    public void ErrorAboutAFileHasTheFileButNoLine()
    {
        var diagnostic = CompressorOutputParser.TryParseDiagnostic("a3: /models/m/model.safetensors: error A3010: header length exceeds the file");

        Assert.NotNull(diagnostic);
        Assert.Equal("/models/m/model.safetensors", diagnostic.File);
        Assert.Equal((0, 0), (diagnostic.Line, diagnostic.Column));
        Assert.Equal("A3010", diagnostic.Code);
    }

    [Theory]
    [InlineData("a3: error A3001: --device must be cpu, cuda, cuda:N or auto", "A3001", "--device must be cpu, cuda, cuda:N or auto")]
    [InlineData("a3: error: libtorch 2.10.0 was not found", null, "libtorch 2.10.0 was not found")]
    [InlineData("a3: internal error: System.NullReferenceException: boom", null, "System.NullReferenceException: boom")]
    public void UnlocatedErrorsHaveNoFile(string line, string? code, string message)
    {
        var diagnostic = CompressorOutputParser.TryParseDiagnostic(line);

        Assert.NotNull(diagnostic);
        Assert.True(diagnostic.IsError);
        Assert.Null(diagnostic.File);
        Assert.Equal(code, diagnostic.Code);
        Assert.Equal(message, diagnostic.Message);
    }

    [Theory]
    [InlineData("a3: compress layer 0 1/5 (1.9s, ETA 7.7s)")]
    [InlineData("removed 12,345 decoder-linear parameters (20.00%) with no error")]
    [InlineData("   at A3.Cli.Program.Main(String[] args) in Program.cs:line 3")]
    public void OrdinaryLinesAreNotDiagnostics(string line) => Assert.Null(CompressorOutputParser.TryParseDiagnostic(line));
}
