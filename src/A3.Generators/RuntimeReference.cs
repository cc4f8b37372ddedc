using A3.Generators.Models;
using Microsoft.CodeAnalysis;

namespace A3.Generators;

/// <summary>Which A3 runtimes a compilation can use, which decides the <c>Load</c> methods of recipe classes.</summary>
internal static class RuntimeReference
{
    /// <summary>The metadata name of the type A3.Runtime's <c>Load()</c> returns.</summary>
    public const string ModelCheckpointTypeName = "A3.Runtime.Model.ModelCheckpoint";

    /// <summary>The metadata name of the type A3.OnnxRuntime's <c>Load()</c> (or <c>LoadOnnx()</c>) returns.</summary>
    public const string OnnxDecoderModelTypeName = "A3.OnnxRuntime.OnnxDecoderModel";

    /// <summary>Returns the runtimes whose model type <paramref name="compilation"/> contains and can access.</summary>
    /// <param name="compilation">The compilation.</param>
    /// <returns>The runtimes <c>Load</c> methods can be generated for.</returns>
    public static ReferencedRuntimes Detect(Compilation compilation) =>
        (IsAccessible(compilation, ModelCheckpointTypeName) ? ReferencedRuntimes.Runtime : ReferencedRuntimes.None)
        | (IsAccessible(compilation, OnnxDecoderModelTypeName) ? ReferencedRuntimes.OnnxRuntime : ReferencedRuntimes.None);

    private static bool IsAccessible(Compilation compilation, string metadataName) =>
        compilation.GetTypeByMetadataName(metadataName) is { } type
        && compilation.IsSymbolAccessibleWithin(type, compilation.Assembly);
}
