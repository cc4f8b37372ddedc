using System.ComponentModel;
using System.Reflection;

namespace A3.Recipes.Tests;

/// <summary><see cref="RecipeKeys"/> is the format's one list of keys.</summary>
public sealed class RecipeKeysTests
{
    [Fact]
    public void There_is_a_key_constant_for_every_key_of_the_format_and_no_other()
    {
        var constants = typeof(RecipeKeys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal);

        Assert.Equal(FormatKeys(typeof(Recipe), string.Empty).Order(StringComparer.Ordinal), constants);
    }

    [Fact]
    public void Constant_names_spell_their_key()
    {
        foreach (var field in typeof(RecipeKeys).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
        {
            var key = (string)field.GetRawConstantValue()!;
            var pascal = string.Concat(key.Split('.', '_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
            Assert.Equal(pascal, field.Name);
        }
    }

    [Theory]
    [InlineData(RecipeKeys.CalibrationSequenceLength, "sequence_length")]
    [InlineData(RecipeKeys.CompressionOverridesLayers, "layers")]
    [InlineData(RecipeKeys.Device, "device")]
    public void Leaf_is_the_name_written_in_the_recipe(string key, string leaf) => Assert.Equal(leaf, RecipeKeys.Leaf(key));

    [Fact]
    public void Override_keys_carry_the_item_index()
    {
        Assert.Equal("compression.overrides[1]", RecipeKeys.Override(1));
        Assert.Equal("compression.overrides[1].layers", RecipeKeys.Override(1, RecipeKeys.CompressionOverridesLayers));
        Assert.Equal("compression.overrides[0].qk", RecipeKeys.Override(0, "qk"));
    }

    // The format's keys as the JSON Schema and the generator see them: described properties in snake_case, sections walked, list items under the list's key.
    private static IEnumerable<string> FormatKeys(Type type, string prefix)
    {
        foreach (var property in type.GetProperties().Where(p => p.GetCustomAttribute<DescriptionAttribute>() is not null))
        {
            var key = (prefix.Length == 0 ? string.Empty : prefix + ".") + RecipeNames.Kebab(property.Name).Replace('-', '_');
            yield return key;
            var inner = property.PropertyType.IsGenericType ? property.PropertyType.GetGenericArguments()[0] : property.PropertyType;
            if (inner.GetCustomAttribute<DescriptionAttribute>() is not null)
            {
                foreach (var nested in FormatKeys(inner, key))
                {
                    yield return nested;
                }
            }
        }
    }
}
