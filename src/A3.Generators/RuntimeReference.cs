using Microsoft.CodeAnalysis;

namespace A3.Generators;

/// <summary>Whether a compilation can use A3.Runtime, which decides if recipe classes get <c>Load()</c>.</summary>
internal static class RuntimeReference
{
    /// <summary>The metadata name of the type <c>Load()</c> returns.</summary>
    public const string ModelCheckpointTypeName = "A3.Runtime.Model.ModelCheckpoint";

    /// <summary>Returns whether <paramref name="compilation"/> contains an accessible <c>A3.Runtime.Model.ModelCheckpoint</c>.</summary>
    /// <param name="compilation">The compilation.</param>
    /// <returns><see langword="true"/> when <c>Load()</c> can be generated.</returns>
    public static bool IsAvailable(Compilation compilation) =>
        compilation.GetTypeByMetadataName(ModelCheckpointTypeName) is { } type
        && compilation.IsSymbolAccessibleWithin(type, compilation.Assembly);
}
