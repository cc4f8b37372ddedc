using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using A3.Generators.Models;
using A3.Recipes;

namespace A3.Generators;

/// <summary>Reads a parsed <see cref="Recipe"/> into value-equatable sections and members.</summary>
internal static class RecipeSectionReader
{
    /// <summary>Returns the recipe as the root section named <paramref name="className"/>.</summary>
    /// <param name="recipe">A recipe without errors.</param>
    /// <param name="className">The generated class name.</param>
    /// <returns>The root section.</returns>
    public static RecipeSection Read(Recipe recipe, string className) =>
        ReadSection(recipe, typeof(Recipe), className, RecipeProperties.DescriptionOf(typeof(Recipe)), string.Empty);

    private static RecipeSection ReadSection(object section, Type type, string name, string summary, string key)
    {
        var members = new List<RecipeMember>();
        var sections = new List<RecipeSection>();
        foreach (var field in RecipeProperties.Of(type))
        {
            var fieldKey = key.Length == 0 ? field.Key : key + "." + field.Key;
            var value = field.Property.GetValue(section);
            var propertyType = field.Property.PropertyType;
            if (RecipeProperties.IsSection(propertyType))
            {
                // An absent optional section (evaluation) has no class: code that uses it stops compiling when it is removed.
                if (value is not null)
                {
                    sections.Add(ReadSection(value, propertyType, field.Property.Name, field.Description!, fieldKey));
                }

                continue;
            }

            members.Add(ReadMember(field, fieldKey, propertyType, value));
        }

        return new RecipeSection(name, summary, key, members.ToEquatableArray(), sections.ToEquatableArray());
    }

    private static RecipeMember ReadMember(RecipeProperty field, string key, Type type, object? value)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        bool nullable = underlying is not null;
        var valueType = underlying ?? type;
        if (valueType == typeof(List<LayerOverride>))
        {
            var overrides = ((List<LayerOverride>)value!).Select(o => new LayerOverrideValue(o.Layers, o.First, o.Last, o.Qk, o.Ov, o.Mlp));
            return Member(RecipeValueKind.LayerOverrides, null, string.Empty, overrides.ToEquatableArray());
        }

        if (RecipeProperties.EnumListElement(valueType) is { } element)
        {
            var names = ((System.Collections.IEnumerable)value!).Cast<object>().Select(item => item.ToString());
            return Member(RecipeValueKind.EnumList, string.Join(",", names), element.Name, EquatableArray<LayerOverrideValue>.Empty);
        }

        if (valueType.IsEnum)
        {
            return Member(RecipeValueKind.Enum, value?.ToString(), valueType.Name, EquatableArray<LayerOverrideValue>.Empty);
        }

        var kind = valueType == typeof(string) ? RecipeValueKind.String
            : valueType == typeof(int) ? RecipeValueKind.Int32
            : valueType == typeof(long) ? RecipeValueKind.Int64
            : valueType == typeof(double) ? RecipeValueKind.Double
            : valueType == typeof(bool) ? RecipeValueKind.Boolean
            : throw new NotSupportedException($"the recipe field '{key}' has type {type}, which the A3 generator does not map to C#");
        var text = value switch
        {
            null => null,
            double number => number.ToString("R", CultureInfo.InvariantCulture),
            bool flag => flag ? "true" : "false",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        return Member(kind, text, string.Empty, EquatableArray<LayerOverrideValue>.Empty);

        RecipeMember Member(RecipeValueKind valueKind, string? valueText, string enumType, EquatableArray<LayerOverrideValue> overrides) =>
            new(field.Property.Name, valueKind, nullable, valueText, enumType, overrides, field.Description!, key);
    }
}
