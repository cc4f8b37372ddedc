namespace A3.Generators;

/// <summary>
/// The analyzer-config keys A3.Sdk.targets makes visible to the compiler (<c>CompilerVisibleProperty</c>
/// and <c>CompilerVisibleItemMetadata</c> on <c>AdditionalFiles</c>).
/// </summary>
internal static class BuildOptionNames
{
    /// <summary>The item type an additional file came from; the generator reads only <see cref="A3CompressItemType"/>.</summary>
    public const string SourceItemType = "build_metadata.AdditionalFiles.A3SourceItemType";

    /// <summary>The item's <c>OutputPath</c> metadata.</summary>
    public const string OutputPath = "build_metadata.AdditionalFiles.A3OutputPath";

    /// <summary>The item's <c>ClassName</c> metadata.</summary>
    public const string ClassName = "build_metadata.AdditionalFiles.A3ClassName";

    /// <summary>The project's <c>RootNamespace</c>.</summary>
    public const string RootNamespace = "build_property.RootNamespace";

    /// <summary>The project's <c>A3GeneratedNamespace</c>, which replaces <c>$(RootNamespace).A3</c>.</summary>
    public const string GeneratedNamespace = "build_property.A3GeneratedNamespace";

    /// <summary>The value of <see cref="SourceItemType"/> that marks a recipe.</summary>
    public const string A3CompressItemType = "A3Compress";
}
