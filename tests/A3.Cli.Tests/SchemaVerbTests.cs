using A3.Recipes;

namespace A3.Cli.Tests;

public sealed class SchemaVerbTests
{
    [Fact]
    public async Task Schema_prints_the_generated_recipe_schema()
    {
        var run = await CliRunner.RunAsync(["schema"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(RecipeSchema.Generate(), run.Stdout.Replace("\r\n", "\n").TrimEnd('\n'));
    }
}
