using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace A3.Generators;

/// <summary>C# names derived from recipe names and project properties.</summary>
internal static class CSharpNames
{
    private static readonly char[] RecipeNameSeparators = ['.', '_', '-'];

    /// <summary>
    /// Returns the class name of a recipe name: PascalCase of its parts split at '.', '_' and '-', with a
    /// '_' prefix when it would start with a digit (<c>stories260k-budget-0.2</c> gives <c>Stories260kBudget02</c>).
    /// </summary>
    /// <param name="recipeName">A valid recipe name (<see cref="A3.Recipes.Recipe.IsValidName"/>).</param>
    /// <returns>The class name.</returns>
    public static string ClassNameOf(string recipeName)
    {
        var builder = new StringBuilder(recipeName.Length + 1);
        foreach (var part in recipeName.Split(RecipeNameSeparators).Where(p => p.Length > 0))
        {
            builder.Append(char.ToUpperInvariant(part[0])).Append(part, 1, part.Length - 1);
        }

        if (builder.Length > 0 && char.IsDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }

    /// <summary>Returns why <paramref name="name"/> cannot name a generated class, or <see langword="null"/> when it can.</summary>
    /// <param name="name">A candidate class name.</param>
    /// <returns>The reason, or <see langword="null"/>.</returns>
    public static string? ClassNameProblem(string name)
    {
        if (!SyntaxFacts.IsValidIdentifier(name))
        {
            return "is not a C# identifier";
        }

        if (SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None)
        {
            return "is a C# keyword";
        }

        // CS8981: the compiler warns about type names of lower-case ASCII letters only (reserved for keywords).
        if (name.All(c => c is >= 'a' and <= 'z'))
        {
            return "has only lower-case letters, which C# reserves for future keywords (CS8981)";
        }

        return null;
    }

    /// <summary>Returns whether <paramref name="name"/> is a C# namespace: dotted identifiers, none a keyword.</summary>
    /// <param name="name">A candidate namespace.</param>
    /// <returns><see langword="true"/> when it can be declared.</returns>
    public static bool IsNamespace(string name) => name.Split('.').All(IsIdentifier);

    /// <summary>
    /// Makes a namespace of a project's <c>RootNamespace</c>, which MSBuild does not sanitise (a project
    /// named <c>my-app</c> gets <c>my-app</c>): characters C# does not allow become '_', a part starting
    /// with a digit gets a '_' prefix, and a keyword an '@'.
    /// </summary>
    /// <param name="rootNamespace">The project's root namespace, not empty.</param>
    /// <returns>A valid namespace.</returns>
    public static string SanitizeNamespace(string rootNamespace) =>
        string.Join(".", rootNamespace.Split('.').Select(SanitizeIdentifier));

    private static bool IsIdentifier(string name) =>
        SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None;

    private static string SanitizeIdentifier(string part)
    {
        var builder = new StringBuilder(part.Length + 1);
        foreach (var c in part)
        {
            builder.Append(SyntaxFacts.IsIdentifierPartCharacter(c) ? c : '_');
        }

        if (builder.Length == 0 || !SyntaxFacts.IsIdentifierStartCharacter(builder[0]))
        {
            builder.Insert(0, '_');
        }

        var identifier = builder.ToString();
        return SyntaxFacts.GetKeywordKind(identifier) == SyntaxKind.None ? identifier : "@" + identifier;
    }
}
