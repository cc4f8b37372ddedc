using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace A3.Runtime.IO;

/// <summary>
/// Serialises a JSON tree to deterministic text: object keys sorted ordinally at every level,
/// two-space indentation, <c>"\n"</c> newlines, invariant culture, shortest round-trip doubles.
/// Arrays holding only scalars are written on one line, so that long <c>rope_pairs</c> lists stay readable.
/// </summary>
internal static class CanonicalJsonWriter
{
    private static readonly JsonSerializerOptions StringOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Returns the canonical text of <paramref name="node"/>, ending with a newline.</summary>
    public static string Write(JsonNode? node)
    {
        var builder = new StringBuilder();
        WriteNode(builder, node, 0);
        builder.Append('\n');
        return builder.ToString();
    }

    /// <summary>Formats a double so that it parses back to the same value and always reads as a JSON number with a fraction or exponent.</summary>
    public static string FormatDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "JSON cannot represent a non-finite number.");
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    private static void WriteNode(StringBuilder builder, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                WriteObject(builder, obj, depth);
                break;
            case JsonArray array:
                WriteArray(builder, array, depth);
                break;
            case JsonValue value:
                builder.Append(ScalarText(value));
                break;
            default:
                throw new InvalidOperationException($"unexpected JSON node {node.GetType().Name}.");
        }
    }

    private static void WriteObject(StringBuilder builder, JsonObject obj, int depth)
    {
        if (obj.Count == 0)
        {
            builder.Append("{}");
            return;
        }

        builder.Append('{');
        var first = true;
        foreach (var (key, child) in obj.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            builder.Append(first ? "\n" : ",\n");
            first = false;
            Indent(builder, depth + 1);
            builder.Append(JsonSerializer.Serialize(key, StringOptions)).Append(": ");
            WriteNode(builder, child, depth + 1);
        }

        builder.Append('\n');
        Indent(builder, depth);
        builder.Append('}');
    }

    private static void WriteArray(StringBuilder builder, JsonArray array, int depth)
    {
        if (array.All(item => item is null or JsonValue))
        {
            builder.Append('[').AppendJoin(", ", array.Select(item => item is JsonValue value ? ScalarText(value) : "null")).Append(']');
            return;
        }

        builder.Append('[');
        for (var i = 0; i < array.Count; i++)
        {
            builder.Append(i == 0 ? "\n" : ",\n");
            Indent(builder, depth + 1);
            WriteNode(builder, array[i], depth + 1);
        }

        builder.Append('\n');
        Indent(builder, depth);
        builder.Append(']');
    }

    private static string ScalarText(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element.ValueKind switch
            {
                JsonValueKind.String => JsonSerializer.Serialize(element.GetString(), StringOptions),
                JsonValueKind.Number => element.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => "null",
                _ => throw new InvalidOperationException($"unexpected JSON value kind {element.ValueKind}."),
            };
        }

        if (value.TryGetValue<string>(out var text))
        {
            return JsonSerializer.Serialize(text, StringOptions);
        }

        if (value.TryGetValue<bool>(out var flag))
        {
            return flag ? "true" : "false";
        }

        if (value.TryGetValue<int>(out var integer))
        {
            return integer.ToString(CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue<long>(out var longInteger))
        {
            return longInteger.ToString(CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue<double>(out var real))
        {
            return FormatDouble(real);
        }

        throw new InvalidOperationException($"unsupported JSON value {value.ToJsonString()}.");
    }

    private static void Indent(StringBuilder builder, int depth) => builder.Append(' ', depth * 2);
}
