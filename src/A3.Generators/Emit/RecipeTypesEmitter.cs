using System;
using System.Collections.Generic;
using System.Linq;
using A3.Recipes;

namespace A3.Generators.Emit;

/// <summary>
/// Writes the types the recipe classes of a project share, once per project: an enum per enum-valued
/// recipe key (members as in <c>A3.Recipes</c>, documented with their recipe spelling) and
/// <c>RecipeLayerOverride</c>. They live in the generated namespace, not in a fixed one, so two
/// projects that both compress models and reference each other do not declare the same public type.
/// </summary>
internal static class RecipeTypesEmitter
{
    /// <summary>The hint name of the shared types' file.</summary>
    public const string HintName = "A3RecipeTypes.g.cs";

    /// <summary>The name of the generated per-layer override type.</summary>
    public const string LayerOverrideTypeName = "RecipeLayerOverride";

    /// <summary>Gets the names of every shared type, which a recipe class must not take.</summary>
    public static IReadOnlyCollection<string> TypeNames { get; } =
        EnumFields().Select(f => f.Type.Name).Append(LayerOverrideTypeName).ToArray();

    /// <summary>Returns the shared types' source.</summary>
    /// <param name="namespaceName">The generated namespace.</param>
    /// <returns>The C# source.</returns>
    public static string Emit(string namespaceName)
    {
        var writer = new SourceWriter();
        GeneratedFile.WriteHeader(writer);
        writer.Line("namespace " + namespaceName);
        writer.Open();
        foreach (var (type, key, description) in EnumFields())
        {
            WriteEnum(writer, type, key, description);
            writer.Line();
        }

        WriteLayerOverride(writer);
        writer.Close();
        return writer.ToString();
    }

    private static IEnumerable<(Type Type, string Key, string Description)> EnumFields() =>
        RecipeProperties.Leaves(typeof(Recipe))
            .Select(f => (Type: Nullable.GetUnderlyingType(f.Property.PropertyType) ?? RecipeProperties.EnumListElement(f.Property.PropertyType) ?? f.Property.PropertyType, f.Key, Description: f.Description!))
            .Where(f => f.Type.IsEnum)
            .GroupBy(f => f.Type)
            .Select(g => g.First());

    private static void WriteEnum(SourceWriter writer, Type type, string key, string description)
    {
        writer.Doc($"<summary>The values of <c>{key}</c> in an A3 recipe.</summary>");
        writer.Doc($"<remarks>{CSharpLiterals.Xml(description)}</remarks>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line("public enum " + type.Name);
        writer.Open();
        foreach (var name in Enum.GetNames(type))
        {
            writer.Doc($"<summary>The recipe value <c>{RecipeNames.Kebab(name)}</c>.</summary>");
            writer.Line(name + ",");
        }

        writer.Close();
    }

    private static void WriteLayerOverride(SourceWriter writer)
    {
        var fields = RecipeProperties.Of(typeof(LayerOverride)).ToDictionary(f => f.Property.Name, f => CSharpLiterals.Xml(f.Description!));
        writer.Doc($"<summary>{CSharpLiterals.Xml(RecipeProperties.DescriptionOf(typeof(LayerOverride)))}</summary>");
        writer.Doc("<remarks>An entry of <c>compression.overrides</c> in an A3 recipe.</remarks>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"public sealed class {LayerOverrideTypeName}");
        writer.Open();
        writer.Doc($"<summary>Initializes a new instance of the <see cref=\"{LayerOverrideTypeName}\"/> class.</summary>");
        writer.Doc($"<param name=\"layers\">{fields[nameof(LayerOverride.Layers)]}</param>");
        writer.Doc("<param name=\"first\">The first layer index.</param>");
        writer.Doc("<param name=\"last\">The last layer index, inclusive.</param>");
        writer.Doc($"<param name=\"qk\">{fields[nameof(LayerOverride.Qk)]}</param>");
        writer.Doc($"<param name=\"ov\">{fields[nameof(LayerOverride.Ov)]}</param>");
        writer.Doc($"<param name=\"mlp\">{fields[nameof(LayerOverride.Mlp)]}</param>");
        writer.Line($"public {LayerOverrideTypeName}(string layers, int first, int last, double? qk, double? ov, double? mlp)");
        writer.Open();
        writer.Line("Layers = layers;");
        writer.Line("First = first;");
        writer.Line("Last = last;");
        writer.Line("Qk = qk;");
        writer.Line("Ov = ov;");
        writer.Line("Mlp = mlp;");
        writer.Close();
        WriteProperty(writer, "string", "Layers", fields[nameof(LayerOverride.Layers)]);
        WriteProperty(writer, "int", "First", "The first layer index of <see cref=\"Layers\"/>.");
        WriteProperty(writer, "int", "Last", "The last layer index of <see cref=\"Layers\"/>, inclusive.");
        WriteProperty(writer, "double?", "Qk", fields[nameof(LayerOverride.Qk)] + " <see langword=\"null\"/> keeps the model-wide ratio.");
        WriteProperty(writer, "double?", "Ov", fields[nameof(LayerOverride.Ov)] + " <see langword=\"null\"/> keeps the model-wide ratio.");
        WriteProperty(writer, "double?", "Mlp", fields[nameof(LayerOverride.Mlp)] + " <see langword=\"null\"/> keeps the model-wide ratio.");
        writer.Close();
    }

    private static void WriteProperty(SourceWriter writer, string type, string name, string summaryXml)
    {
        writer.Line();
        writer.Doc($"<summary>{summaryXml}</summary>");
        writer.Line($"public {type} {name} {{ get; }}");
    }
}
