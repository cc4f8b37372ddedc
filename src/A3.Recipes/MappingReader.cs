using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace A3.Recipes;

/// <summary>
/// Typed, located access to one YAML mapping of a recipe. Every problem is reported to the
/// <see cref="ParseContext"/> and the getter returns <see langword="null"/>, so one parse reports
/// every mistake instead of stopping at the first.
/// </summary>
internal sealed class MappingReader
{
    private readonly ParseContext context;
    private readonly string locationPath;
    private readonly Dictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="MappingReader"/> class, reporting unknown keys.</summary>
    /// <param name="context">Where diagnostics go.</param>
    /// <param name="node">The mapping.</param>
    /// <param name="section">The mapping's key (one of <see cref="RecipeKeys"/>, without list indices), empty for the root.</param>
    /// <param name="known">The keys the format defines here, as full <see cref="RecipeKeys"/>.</param>
    /// <param name="locationPath">The mapping's key with list indices (<c>compression.overrides[0]</c>) when it differs from <paramref name="section"/>.</param>
    public MappingReader(ParseContext context, YamlMappingNode node, string section, IReadOnlyList<string> known, string? locationPath = null)
    {
        this.context = context;
        this.locationPath = locationPath ?? section;
        Node = node;
        Section = section;
        var names = known.Select(RecipeKeys.Leaf).ToArray();
        foreach (var child in node.Children)
        {
            if (child.Key is not YamlScalarNode key || key.Value is null)
            {
                context.Error(RecipeErrorCodes.WrongType, this.locationPath, child.Key.Start, $"expected a key name{In}, found {Describe(child.Key)}");
                continue;
            }

            if (!names.Contains(key.Value))
            {
                var suggestion = KeySuggester.Suggest(key.Value, names);
                var hint = suggestion is null ? $"; known keys: {string.Join(", ", names)}" : $"; did you mean '{suggestion}'?";
                context.Error(RecipeErrorCodes.UnknownKey, PathOf(key.Value), key.Start, $"unknown key '{key.Value}'{In}{hint}");
                continue;
            }

            entries[key.Value] = new KeyValuePair<YamlScalarNode, YamlNode>(key, child.Value);
            context.Locate(PathOf(key.Value), child.Value.Start);
        }
    }

    /// <summary>Gets the mapping.</summary>
    public YamlMappingNode Node { get; }

    /// <summary>Gets the mapping's dotted key, empty for the root.</summary>
    public string Section { get; }

    private string In => Section.Length == 0 ? string.Empty : $" in '{Section}'";

    /// <summary>Returns whether <paramref name="key"/> (one of <see cref="RecipeKeys"/>) is present with a non-null value.</summary>
    public bool Has(string key) => entries.TryGetValue(RecipeKeys.Leaf(key), out var entry) && !IsNull(entry.Value);

    /// <summary>Returns where <paramref name="key"/> is written, or the mapping's start when absent.</summary>
    public Mark KeyMark(string key) => entries.TryGetValue(RecipeKeys.Leaf(key), out var entry) ? entry.Key.Start : Node.Start;

    /// <summary>Returns where <paramref name="key"/>'s value starts, or the mapping's start when absent.</summary>
    public Mark ValueMark(string key) => entries.TryGetValue(RecipeKeys.Leaf(key), out var entry) ? entry.Value.Start : Node.Start;

    /// <summary>Returns the key of <paramref name="key"/>'s value in this mapping, with list indices: <see cref="RecipeDiagnostic.Key"/>.</summary>
    public string PathOf(string key)
    {
        var name = RecipeKeys.Leaf(key);
        return locationPath.Length == 0 ? name : locationPath + "." + name;
    }

    /// <summary>Reports a missing or empty required key.</summary>
    public bool Require(string key)
    {
        if (Has(key))
        {
            return true;
        }

        context.Unread(RecipeErrorCodes.MissingRequired, PathOf(key), KeyMark(key), $"missing required key '{key}'");
        return false;
    }

    /// <summary>Returns a scalar as a string.</summary>
    public string? String(string key)
    {
        var node = Value(key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar.Value ?? string.Empty;
        }

        TypeError(key, node, "a string");
        return null;
    }

    /// <summary>Returns a plain scalar as a number.</summary>
    public double? Double(string key)
    {
        var node = Value(key);
        if (node is null)
        {
            return null;
        }

        if (IsPlain(node, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        TypeError(key, node, "a number");
        return null;
    }

    /// <summary>Returns a plain scalar as a 64-bit integer.</summary>
    public long? Long(string key)
    {
        var node = Value(key);
        if (node is null)
        {
            return null;
        }

        if (IsPlain(node, out var text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        TypeError(key, node, "an integer");
        return null;
    }

    /// <summary>
    /// Returns a plain scalar as a 32-bit integer. Its range is the validator's rule; only a number
    /// the object model cannot hold is reported here, with the message the validator gives for it.
    /// </summary>
    public int? Int(string key)
    {
        var value = Long(key);
        if (value is null)
        {
            return null;
        }

        if (value < int.MinValue || value > int.MaxValue)
        {
            var (code, message) = RecipeValidator.CheckInteger(key, value.Value)
                ?? (RecipeErrorCodes.OutOfRange, $"'{key}' must be a 32-bit integer, got {value}");
            context.Unread(code, PathOf(key), ValueMark(key), message);
            return null;
        }

        return (int)value.Value;
    }

    /// <summary>Returns a plain <c>true</c> or <c>false</c>.</summary>
    public bool? Bool(string key)
    {
        var node = Value(key);
        if (node is null)
        {
            return null;
        }

        if (IsPlain(node, out var text) && bool.TryParse(text, out var value))
        {
            return value;
        }

        TypeError(key, node, "true or false");
        return null;
    }

    /// <summary>Returns a value of <typeparamref name="T"/>, spelled as <see cref="RecipeNames"/> does.</summary>
    public T? Enum<T>(string key)
        where T : struct, Enum
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        var value = RecipeNames.Parse<T>(text);
        if (value is null)
        {
            context.Unread(RecipeErrorCodes.InvalidValue, PathOf(key), ValueMark(key), $"unknown {key} '{text}'; allowed: {string.Join(", ", RecipeNames.All<T>())}");
        }

        return value;
    }

    /// <summary>Returns a nested mapping.</summary>
    public YamlMappingNode? Mapping(string key)
    {
        var node = Value(key);
        if (node is null or YamlMappingNode)
        {
            return (YamlMappingNode?)node;
        }

        TypeError(key, node, "a mapping");
        return null;
    }

    /// <summary>Returns a nested list.</summary>
    public YamlSequenceNode? Sequence(string key)
    {
        var node = Value(key);
        if (node is null or YamlSequenceNode)
        {
            return (YamlSequenceNode?)node;
        }

        TypeError(key, node, "a list");
        return null;
    }

    /// <summary>Describes a node for "found ..." messages.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar when scalar.Style is ScalarStyle.Plain && double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => $"the number {scalar.Value}",
        YamlScalarNode scalar when scalar.Style is ScalarStyle.Plain && bool.TryParse(scalar.Value, out _) => $"the boolean {scalar.Value}",
        YamlScalarNode scalar => $"the string '{scalar.Value}'",
        _ => "an alias",
    };

    /// <summary>Returns whether <paramref name="node"/> is YAML null: empty, <c>~</c> or <c>null</c> unquoted.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static bool IsPlain(YamlNode node, out string text)
    {
        // Quoted scalars are strings in YAML (and in the JSON Schema), so "0.5" is not a number.
        if (node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar && scalar.Value is not null)
        {
            text = scalar.Value;
            return true;
        }

        text = string.Empty;
        return false;
    }

    private YamlNode? Value(string key) => entries.TryGetValue(RecipeKeys.Leaf(key), out var entry) && !IsNull(entry.Value) ? entry.Value : null;

    private void TypeError(string key, YamlNode node, string expected) =>
        context.Unread(RecipeErrorCodes.WrongType, PathOf(key), node.Start, $"'{key}' expects {expected}, found {Describe(node)}");
}
