using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace A3.IO;

/// <summary>
/// Typed access to fields of a parsed <c>config.json</c> object that turns every type or range
/// problem into an <see cref="A3InputException"/> naming the field and the file.
/// </summary>
/// <remarks>
/// The object must come from <see cref="JsonNode.Parse(string, JsonNodeOptions?, JsonDocumentOptions)"/>, so that
/// every value is backed by a <see cref="JsonElement"/> and keeps its JSON kind (an integer written as
/// <c>64.0</c> is then rejected instead of silently truncated).
/// </remarks>
internal sealed class ConfigJson(JsonObject obj, string filePath, string code, string prefix)
{
    /// <summary>Gets the underlying object.</summary>
    public JsonObject Object => obj;

    /// <summary>Gets the file the object was read from.</summary>
    public string FilePath => filePath;

    /// <summary>Returns whether the field is present and not <c>null</c>.</summary>
    public bool Has(string field) => obj[field] is not null;

    /// <summary>Returns the display name of a field, including the object path prefix.</summary>
    public string Name(string field) => prefix + field;

    /// <summary>Creates an error about a field of this object.</summary>
    public A3InputException Error(string message) => new(code, message, filePath);

    /// <summary>Reads a required integer field.</summary>
    public int RequiredInt(string field) => OptionalInt(field) ?? throw Missing(field);

    /// <summary>Reads an optional integer field; <c>null</c> when absent or JSON null.</summary>
    public int? OptionalInt(string field)
    {
        var element = Element(field);
        if (element is null)
        {
            return null;
        }

        if (element.Value.ValueKind != JsonValueKind.Number || !element.Value.TryGetInt32(out var value))
        {
            throw Error($"'{Name(field)}' must be an integer, but is {element.Value.GetRawText()}.");
        }

        return value;
    }

    /// <summary>Reads a required integer field that must be at least <paramref name="minimum"/>.</summary>
    public int RequiredInt(string field, int minimum)
    {
        var value = RequiredInt(field);
        if (value < minimum)
        {
            throw Error($"'{Name(field)}' must be at least {minimum.ToString(CultureInfo.InvariantCulture)}, but is {value.ToString(CultureInfo.InvariantCulture)}.");
        }

        return value;
    }

    /// <summary>Reads a required number field.</summary>
    public double RequiredDouble(string field) => OptionalDouble(field) ?? throw Missing(field);

    /// <summary>Reads an optional number field; <c>null</c> when absent or JSON null.</summary>
    public double? OptionalDouble(string field)
    {
        var element = Element(field);
        if (element is null)
        {
            return null;
        }

        if (element.Value.ValueKind != JsonValueKind.Number || !element.Value.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            throw Error($"'{Name(field)}' must be a finite number, but is {element.Value.GetRawText()}.");
        }

        return value;
    }

    /// <summary>Reads a required positive finite number field.</summary>
    public double RequiredPositiveDouble(string field)
    {
        var value = RequiredDouble(field);
        if (value <= 0)
        {
            throw Error($"'{Name(field)}' must be positive, but is {value.ToString("R", CultureInfo.InvariantCulture)}.");
        }

        return value;
    }

    /// <summary>Reads an optional boolean field; <c>null</c> when absent or JSON null.</summary>
    public bool? OptionalBool(string field)
    {
        var element = Element(field);
        return element?.ValueKind switch
        {
            null => null,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"'{Name(field)}' must be true or false, but is {element.Value.GetRawText()}."),
        };
    }

    /// <summary>Reads an optional string field; <c>null</c> when absent or JSON null.</summary>
    public string? OptionalString(string field)
    {
        var element = Element(field);
        if (element is null)
        {
            return null;
        }

        return element.Value.ValueKind == JsonValueKind.String
            ? element.Value.GetString()!
            : throw Error($"'{Name(field)}' must be a string, but is {element.Value.GetRawText()}.");
    }

    /// <summary>Reads an optional nested object; <c>null</c> when absent or JSON null.</summary>
    public ConfigJson? OptionalObject(string field, string nestedCode)
    {
        var node = obj[field];
        return node switch
        {
            null => null,
            JsonObject nested => new ConfigJson(nested, filePath, nestedCode, Name(field) + "."),
            _ => throw new A3InputException(nestedCode, $"'{Name(field)}' must be an object, but is {node.ToJsonString()}.", filePath),
        };
    }

    /// <summary>Reads a required array field.</summary>
    public JsonArray RequiredArray(string field) => obj[field] switch
    {
        null => throw Missing(field),
        JsonArray array => array,
        var other => throw Error($"'{Name(field)}' must be an array, but is {other.ToJsonString()}."),
    };

    private A3InputException Missing(string field) => Error($"required field '{Name(field)}' is missing.");

    private JsonElement? Element(string field)
    {
        var node = obj[field];
        if (node is null)
        {
            return null;
        }

        if (node is not JsonValue value || !value.TryGetValue<JsonElement>(out var element))
        {
            throw Error($"'{Name(field)}' must be a single value, but is {node.ToJsonString()}.");
        }

        return element.ValueKind == JsonValueKind.Null ? null : element;
    }
}
