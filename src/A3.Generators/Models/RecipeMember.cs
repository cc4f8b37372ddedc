namespace A3.Generators.Models;

/// <summary>One recipe value, as data: the emitter decides its C# spelling.</summary>
/// <param name="Name">The member name (the recipe type's property name).</param>
/// <param name="Kind">The kind of value.</param>
/// <param name="IsNullable">Whether the recipe may leave the value unset.</param>
/// <param name="Value">
/// The value in invariant text: the string itself, a number in round-trip form, <c>true</c>/<c>false</c>,
/// the enum member name, or for <see cref="RecipeValueKind.EnumList"/> the member names joined by commas; <see langword="null"/>
/// when unset or for <see cref="RecipeValueKind.LayerOverrides"/>.
/// </param>
/// <param name="EnumType">The generated enum's name for <see cref="RecipeValueKind.Enum"/> and <see cref="RecipeValueKind.EnumList"/>, else empty.</param>
/// <param name="Overrides">The overrides for <see cref="RecipeValueKind.LayerOverrides"/>, else empty.</param>
/// <param name="Summary">The documentation summary (the property's description), not yet XML-escaped.</param>
/// <param name="RecipeKey">The dotted recipe key the value comes from.</param>
internal sealed record RecipeMember(
    string Name,
    RecipeValueKind Kind,
    bool IsNullable,
    string? Value,
    string EnumType,
    EquatableArray<LayerOverrideValue> Overrides,
    string Summary,
    string RecipeKey);
