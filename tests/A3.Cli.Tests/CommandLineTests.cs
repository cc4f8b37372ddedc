namespace A3.Cli.Tests;

/// <summary>What the README says about the <c>a3</c> command line as a whole: help, unknown verbs, one-line errors and <c>--json</c>.</summary>
public sealed class CommandLineTests
{
    /// <summary>The verbs the README lists as taking no <c>--json</c>.</summary>
    private static readonly string[] WithoutJson = ["schema", "verify"];

    [Fact]
    public async Task Bare_a3_prints_the_help_with_every_verb()
    {
        var result = await CliRunner.RunAsync([]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
        Assert.All(Verbs, verb => Assert.Contains($"  {verb} ", result.Stdout, StringComparison.Ordinal));
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task An_unknown_verb_is_one_line_naming_it_and_the_verbs_with_exit_code_2()
    {
        var result = await CliRunner.RunAsync(["compres", "--out", "x"]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("a3: error A3001: unknown verb 'compres'; the verbs are eval, generate, inspect, compress", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_outside_an_options_choices_is_one_line_with_exit_code_2()
    {
        var result = await CliRunner.RunAsync(["eval", "--model", "m", "--data", "d", "--protocol", "window"]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("a3: error A3001: Argument 'window' not recognized. Must be one of: 'documents' 'windows' (see a3 --help)", line);
    }

    [Fact]
    public async Task Every_verb_but_schema_and_verify_takes_json()
    {
        foreach (var verb in Verbs)
        {
            var help = await CliRunner.RunAsync([verb, "--help"]);

            Assert.Equal(0, help.ExitCode);
            Assert.True(help.Stdout.Contains("--json", StringComparison.Ordinal) != WithoutJson.Contains(verb), $"a3 {verb} --json as the README says");
        }
    }

    private static string[] Verbs => ["eval", "generate", "inspect", "compress", "compare", "bench", "synthesize", "doctor", "schema", "verify"];
}
