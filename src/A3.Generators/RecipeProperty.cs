using System.Reflection;

namespace A3.Generators;

/// <summary>A format field of a recipe type.</summary>
/// <param name="Property">The property.</param>
/// <param name="Key">The recipe key, relative to its mapping.</param>
/// <param name="Description">The description.</param>
internal sealed record RecipeProperty(PropertyInfo Property, string Key, string? Description);
