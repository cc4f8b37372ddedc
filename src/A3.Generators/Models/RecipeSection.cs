namespace A3.Generators.Models;

/// <summary>A mapping of the recipe as a (nested) static class: its values and its sub-sections.</summary>
/// <param name="Name">The class name.</param>
/// <param name="Summary">The documentation summary, not yet XML-escaped.</param>
/// <param name="RecipeKey">The dotted recipe key of the mapping, empty for the root.</param>
/// <param name="Members">The values.</param>
/// <param name="Sections">The nested mappings.</param>
internal sealed record RecipeSection(string Name, string Summary, string RecipeKey, EquatableArray<RecipeMember> Members, EquatableArray<RecipeSection> Sections);
