using System.Text.Json;

namespace A3.Tokenizers;

/// <summary>Reads the settings of a <c>Metaspace</c> pre-tokenizer or decoder.</summary>
internal static class MetaspaceSettings
{
    /// <summary>
    /// Returns the prepend scheme, <c>always</c>, <c>first</c> or <c>never</c>; files written before the
    /// scheme existed say <c>add_prefix_space</c> instead, true meaning <c>always</c>.
    /// </summary>
    public static string PrependScheme(JsonElement metaspace) =>
        metaspace.TryGetProperty("prepend_scheme", out var scheme) && scheme.ValueKind == JsonValueKind.String ? scheme.GetString()!
        : metaspace.TryGetProperty("add_prefix_space", out var add) && add.ValueKind == JsonValueKind.False ? "never"
        : "always";
}
