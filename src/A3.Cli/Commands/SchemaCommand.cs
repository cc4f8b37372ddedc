using System.CommandLine;
using A3.Recipes;

namespace A3.Cli.Commands;

/// <summary><c>a3 schema</c>: prints the JSON Schema of recipes, for editors and CI validators.</summary>
internal static class SchemaCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliConsole console)
    {
        var command = new Command("schema", $"Print the JSON Schema of .a3.yaml recipes (the repository's {RecipeSchema.RepositoryPath}).");
        command.SetAction(_ =>
        {
            console.Line(RecipeSchema.Generate());
            return ExitCodes.Success;
        });
        return command;
    }
}
