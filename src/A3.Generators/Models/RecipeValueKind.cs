namespace A3.Generators.Models;

/// <summary>The kind of a recipe value, which decides its C# type and literal.</summary>
internal enum RecipeValueKind
{
    /// <summary>A <see cref="string"/>.</summary>
    String,

    /// <summary>An <see cref="int"/>.</summary>
    Int32,

    /// <summary>A <see cref="long"/>.</summary>
    Int64,

    /// <summary>A <see cref="double"/>.</summary>
    Double,

    /// <summary>A <see cref="bool"/>.</summary>
    Boolean,

    /// <summary>A member of one of the generated recipe enums.</summary>
    Enum,

    /// <summary>The list of per-layer overrides.</summary>
    LayerOverrides,

    /// <summary>A list of members of one of the generated recipe enums.</summary>
    EnumList,
}
