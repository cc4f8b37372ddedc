using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System.Reflection;
using A3.Recipes;

namespace A3.Generators;

/// <summary>
/// The format fields of the recipe types: the properties carrying a <see cref="DescriptionAttribute"/>
/// (the same ones the JSON Schema is generated from), with their snake_case recipe keys. Walking
/// the types rather than listing fields here keeps the generated classes in step with the format.
/// </summary>
internal static class RecipeProperties
{
    /// <summary>Returns the format fields of <paramref name="type"/>, in declaration order.</summary>
    /// <param name="type">A recipe type: <see cref="Recipe"/>, a section, or <see cref="LayerOverride"/>.</param>
    /// <returns>Each property with its recipe key (relative to the type) and description.</returns>
    public static IEnumerable<RecipeProperty> Of(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => new RecipeProperty(p, KeyOf(p.Name), p.GetCustomAttribute<DescriptionAttribute>()?.Description))
            .Where(p => p.Description is not null)
            .OrderBy(p => p.Property.MetadataToken);

    /// <summary>Returns every value field under <paramref name="type"/>, sections walked depth-first, with full dotted keys.</summary>
    /// <param name="type">A recipe type, usually <see cref="Recipe"/>.</param>
    /// <param name="prefix">The dotted key of <paramref name="type"/>'s mapping, empty for the root.</param>
    /// <returns>Each value field with its full key.</returns>
    public static IEnumerable<RecipeProperty> Leaves(Type type, string prefix = "")
    {
        foreach (var field in Of(type))
        {
            var key = prefix.Length == 0 ? field.Key : prefix + "." + field.Key;
            if (IsSection(field.Property.PropertyType))
            {
                foreach (var leaf in Leaves(field.Property.PropertyType, key))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return field with { Key = key };
            }
        }
    }

    /// <summary>Returns whether <paramref name="type"/> is a mapping of the format (it carries a description).</summary>
    /// <param name="type">A property type.</param>
    /// <returns><see langword="true"/> for section types.</returns>
    public static bool IsSection(Type type) => type.IsClass && type != typeof(string) && type.GetCustomAttribute<DescriptionAttribute>() is not null;

    /// <summary>Returns the description of <paramref name="type"/>, or empty.</summary>
    /// <param name="type">A recipe type.</param>
    /// <returns>The description.</returns>
    public static string DescriptionOf(Type type) => type.GetCustomAttribute<DescriptionAttribute>()?.Description ?? string.Empty;

    /// <summary>Returns the enum type of a recipe list of enum values (<c>IList&lt;TEnum&gt;</c>), or <see langword="null"/> for any other type.</summary>
    public static Type? EnumListElement(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>) && type.GetGenericArguments()[0].IsEnum ? type.GetGenericArguments()[0] : null;

    private static string KeyOf(string propertyName) => RecipeNames.Kebab(propertyName).Replace('-', '_');
}
