using A3.Recipes;
using Microsoft.CodeAnalysis;

namespace A3.Generators;

/// <summary>
/// One descriptor per A3 code the generator reports. Messages come from the recipe parser verbatim
/// (<c>{0}</c>), so the compiler, the CLI and the MSBuild task word a problem the same way; the
/// parser also decides the severity, which is passed as the effective severity when reporting.
/// </summary>
internal static class A3Diagnostics
{
    private const string Category = "A3.Recipe";

    public static readonly DiagnosticDescriptor UnknownKey = Create(RecipeErrorCodes.UnknownKey, "Unknown recipe key");

    public static readonly DiagnosticDescriptor WrongType = Create(RecipeErrorCodes.WrongType, "Recipe value of the wrong type");

    public static readonly DiagnosticDescriptor OutOfRange = Create(RecipeErrorCodes.OutOfRange, "Recipe value out of range");

    public static readonly DiagnosticDescriptor MissingRequired = Create(RecipeErrorCodes.MissingRequired, "Required recipe key missing");

    public static readonly DiagnosticDescriptor FileNotFound = Create(RecipeErrorCodes.FileNotFound, "Recipe file not found");

    public static readonly DiagnosticDescriptor Conflict = Create(RecipeErrorCodes.Conflict, "Conflicting recipe options");

    public static readonly DiagnosticDescriptor UnsupportedVersion = Create(RecipeErrorCodes.UnsupportedVersion, "Unsupported recipe version");

    public static readonly DiagnosticDescriptor InvalidYaml = Create(RecipeErrorCodes.InvalidYaml, "Invalid recipe YAML");

    public static readonly DiagnosticDescriptor InvalidValue = Create(RecipeErrorCodes.InvalidValue, "Recipe value outside its allowed set");

    public static readonly DiagnosticDescriptor DuplicateClassName = Create(GeneratorDiagnosticCodes.DuplicateClassName, "Two recipes generate the same class");

    public static readonly DiagnosticDescriptor InvalidClassName = Create(GeneratorDiagnosticCodes.InvalidClassName, "Invalid generated class name");

    public static readonly DiagnosticDescriptor InvalidNamespace = Create(GeneratorDiagnosticCodes.InvalidNamespace, "Invalid generated namespace");

    /// <summary>Returns the descriptor of <paramref name="code"/>.</summary>
    /// <param name="code">An A3 code this generator reports.</param>
    /// <returns>The descriptor.</returns>
    public static DiagnosticDescriptor ForCode(string code) => code switch
    {
        RecipeErrorCodes.UnknownKey => UnknownKey,
        RecipeErrorCodes.WrongType => WrongType,
        RecipeErrorCodes.OutOfRange => OutOfRange,
        RecipeErrorCodes.MissingRequired => MissingRequired,
        RecipeErrorCodes.FileNotFound => FileNotFound,
        RecipeErrorCodes.Conflict => Conflict,
        RecipeErrorCodes.UnsupportedVersion => UnsupportedVersion,
        RecipeErrorCodes.InvalidYaml => InvalidYaml,
        RecipeErrorCodes.InvalidValue => InvalidValue,
        GeneratorDiagnosticCodes.DuplicateClassName => DuplicateClassName,
        GeneratorDiagnosticCodes.InvalidClassName => InvalidClassName,
        GeneratorDiagnosticCodes.InvalidNamespace => InvalidNamespace,
        _ => throw new System.ArgumentOutOfRangeException(nameof(code), code, "no descriptor for this code"),
    };

    private static DiagnosticDescriptor Create(string id, string title) =>
        new(id, title, "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
