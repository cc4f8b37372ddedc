using System;
using System.Globalization;
using System.Linq;
using A3.Generators.Models;
using A3.Recipes;

namespace A3.Generators.Emit;

/// <summary>
/// Writes the class of one recipe: every recipe value as a documented constant (or a get-only
/// property where C# has no constant of its type), a nested static class per section, where the
/// compressed model lands, and <c>Load</c> methods for the A3 runtimes the project references: <c>Load()</c>
/// returns A3.Runtime's <c>ModelCheckpoint</c> of the artifact folder; with A3.OnnxRuntime alone, <c>Load()</c>
/// returns the <c>OnnxDecoderModel</c> of its ONNX export (the artifact's <see cref="ModelFiles.OnnxFolderName"/>
/// subfolder); with both, <c>Load()</c> keeps returning the checkpoint and <c>LoadOnnx()</c> returns the ONNX model,
/// so adding A3.OnnxRuntime to an A3.Runtime application changes no existing call.
/// </summary>
internal static class RecipeClassEmitter
{
    /// <summary>The members every recipe class declares besides the recipe's values; no recipe class may take these names.</summary>
    public static readonly string[] FixedMemberNames = ["OutputPath", "OutputDirectory", "OnnxDirectory", "Load", "LoadOnnx"];

    private const string ModelCheckpoint = "global::" + RuntimeReference.ModelCheckpointTypeName;
    private const string OnnxDecoderModel = "global::" + RuntimeReference.OnnxDecoderModelTypeName;

    /// <summary>Returns the hint name of <paramref name="className"/>'s file.</summary>
    /// <param name="className">The generated class name.</param>
    /// <returns>The hint name.</returns>
    public static string HintNameOf(string className) => className + ".A3Recipe.g.cs";

    /// <summary>Returns the source of <paramref name="model"/>'s class.</summary>
    /// <param name="model">The class model.</param>
    /// <param name="namespaceName">The generated namespace.</param>
    /// <param name="runtimes">The A3 runtimes the compilation references, which decide the <c>Load</c> methods.</param>
    /// <returns>The C# source.</returns>
    public static string Emit(RecipeClassModel model, string namespaceName, ReferencedRuntimes runtimes)
    {
        var writer = new SourceWriter();
        GeneratedFile.WriteHeader(writer);
        writer.Line("namespace " + namespaceName);
        writer.Open();
        writer.Doc($"<summary>The A3 recipe <c>{CSharpLiterals.Xml(model.RecipeName)}</c> (<c>{CSharpLiterals.Xml(model.RecipeFileName)}</c>): every value it sets or defaults, and where the build puts its compressed model.</summary>");
        writer.Doc($"<remarks>{CSharpLiterals.Xml(model.Root.Summary)} Paths are as written in the recipe, relative to its folder.</remarks>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"public static partial class {model.ClassName}");
        writer.Open();
        WriteOutputMembers(writer, model.OutputPath);
        WriteLoadMethods(writer, runtimes);

        WriteSectionBody(writer, model.Root, namespaceName);
        writer.Close();
        writer.Close();
        return writer.ToString();
    }

    private static void WriteOutputMembers(SourceWriter writer, string outputPath)
    {
        writer.Doc("<summary>The compressed model's folder relative to the application's base directory, with forward slashes.</summary>");
        writer.Line($"public const string OutputPath = {CSharpLiterals.String(outputPath)};");
        writer.Line();
        writer.Doc("<summary>The compressed model's folder: <see cref=\"OutputPath\"/> under <see cref=\"global::System.AppContext.BaseDirectory\"/>, with the platform's separators.</summary>");
        writer.Line("public static string OutputDirectory { get; } = global::System.IO.Path.Combine(global::System.AppContext.BaseDirectory, OutputPath.Replace('/', global::System.IO.Path.DirectorySeparatorChar));");
    }

    private static void WriteLoadMethods(SourceWriter writer, ReferencedRuntimes runtimes)
    {
        bool runtime = (runtimes & ReferencedRuntimes.Runtime) != 0;
        if (runtime)
        {
            writer.Line();
            writer.Doc("<summary>Opens the compressed model in <see cref=\"OutputDirectory\"/>: its configuration, weights and tokenizer.</summary>");
            writer.Doc("<returns>The opened model; the caller disposes it.</returns>");
            writer.Line($"public static {ModelCheckpoint} Load() => {ModelCheckpoint}.Open(OutputDirectory);");
        }

        if ((runtimes & ReferencedRuntimes.OnnxRuntime) != 0)
        {
            writer.Line();
            writer.Doc("<summary>The compressed model's ONNX export: the <c>" + ModelFiles.OnnxFolderName + "</c> subfolder of <see cref=\"OutputDirectory\"/>.</summary>");
            writer.Line($"public static string OnnxDirectory {{ get; }} = global::System.IO.Path.Combine(OutputDirectory, {CSharpLiterals.String(ModelFiles.OnnxFolderName)});");
            writer.Line();
            writer.Doc("<summary>Opens the compressed model's ONNX export in <see cref=\"OnnxDirectory\"/> with ONNX Runtime: its graph, configuration and tokenizer.</summary>");
            writer.Doc("<param name=\"options\">How the ONNX Runtime session is set up (execution provider, threads); CPU defaults when null.</param>");
            writer.Doc("<returns>The opened model; the caller disposes it.</returns>");
            writer.Line($"public static {OnnxDecoderModel} {(runtime ? "LoadOnnx" : "Load")}(global::A3.OnnxRuntime.OnnxModelOptions? options = null) => {OnnxDecoderModel}.Load(OnnxDirectory, options);");
        }
    }

    private static void WriteSectionBody(SourceWriter writer, RecipeSection section, string namespaceName)
    {
        foreach (var member in section.Members)
        {
            writer.Separate();
            WriteMember(writer, member, namespaceName);
        }

        foreach (var nested in section.Sections)
        {
            writer.Separate();
            writer.Doc($"<summary>{CSharpLiterals.Xml(nested.Summary)}</summary>");
            writer.Doc($"<remarks>Recipe key <c>{nested.RecipeKey}</c>.</remarks>");
            writer.Line($"public static partial class {nested.Name}");
            writer.Open();
            WriteSectionBody(writer, nested, namespaceName);
            writer.Close();
        }
    }

    private static void WriteMember(SourceWriter writer, RecipeMember member, string namespaceName)
    {
        writer.Doc($"<summary>{CSharpLiterals.Xml(member.Summary)}</summary>");
        writer.Doc(member.IsNullable
            ? $"<remarks>Recipe key <c>{member.RecipeKey}</c>; <see langword=\"null\"/> when the recipe leaves it unset.</remarks>"
            : $"<remarks>Recipe key <c>{member.RecipeKey}</c>.</remarks>");
        if (member.Kind == RecipeValueKind.LayerOverrides)
        {
            var type = $"global::{namespaceName}.{RecipeTypesEmitter.LayerOverrideTypeName}";
            var collection = $"global::System.Collections.Generic.IReadOnlyList<{type}>";
            if (member.Overrides.Count == 0)
            {
                writer.Line($"public static {collection} {member.Name} {{ get; }} = global::System.Array.Empty<{type}>();");
                return;
            }

            writer.Line($"public static {collection} {member.Name} {{ get; }} = new global::System.Collections.ObjectModel.ReadOnlyCollection<{type}>(new[]");
            writer.Open();
            foreach (var item in member.Overrides)
            {
                writer.Line($"new {type}({CSharpLiterals.String(item.Layers)}, {item.First.ToString(CultureInfo.InvariantCulture)}, {item.Last.ToString(CultureInfo.InvariantCulture)}, {CSharpLiterals.NullableDouble(item.Qk)}, {CSharpLiterals.NullableDouble(item.Ov)}, {CSharpLiterals.NullableDouble(item.Mlp)}),");
            }

            writer.Close(");");
            return;
        }

        if (member.Kind == RecipeValueKind.EnumList)
        {
            var type = $"global::{namespaceName}.{member.EnumType}";
            var items = (member.Value ?? string.Empty).Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(name => type + "." + name);
            writer.Line($"public static global::System.Collections.Generic.IReadOnlyList<{type}> {member.Name} {{ get; }} = new global::System.Collections.ObjectModel.ReadOnlyCollection<{type}>(new {type}[] {{ {string.Join(", ", items)} }});");
            return;
        }

        var typeName = TypeOf(member, namespaceName);
        var literal = member.Value is null ? "null" : member.Kind switch
        {
            RecipeValueKind.String => CSharpLiterals.String(member.Value),
            RecipeValueKind.Int64 => member.Value + "L",
            RecipeValueKind.Double => CSharpLiterals.Double(member.Value),
            RecipeValueKind.Enum => typeName + "." + member.Value,
            _ => member.Value,
        };
        writer.Line(member.IsNullable
            ? $"public static {typeName}? {member.Name} {{ get; }} = {literal};"
            : $"public const {typeName} {member.Name} = {literal};");
    }

    private static string TypeOf(RecipeMember member, string namespaceName) => member.Kind switch
    {
        RecipeValueKind.String => "string",
        RecipeValueKind.Int32 => "int",
        RecipeValueKind.Int64 => "long",
        RecipeValueKind.Double => "double",
        RecipeValueKind.Boolean => "bool",
        RecipeValueKind.Enum => $"global::{namespaceName}.{member.EnumType}",
        _ => throw new ArgumentOutOfRangeException(nameof(member), member.Kind, "not a scalar recipe value"),
    };
}
