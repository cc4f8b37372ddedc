using System.Text.Json;
using System.Text.Json.Serialization;

namespace A3.Cli;

/// <summary>Where verbs write: results on stdout (text or JSON), diagnostics and progress on stderr.</summary>
internal sealed class CliConsole(TextWriter output, TextWriter error)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Gets the standard error writer (progress and diagnostics).</summary>
    public TextWriter ErrorWriter => error;

    /// <summary>Writes one line of human-readable output.</summary>
    public void Line(string text) => output.WriteLine(text);

    /// <summary>Writes <paramref name="value"/> as snake_case JSON.</summary>
    public void Json<T>(T value) => output.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Writes a diagnostic line prefixed with the tool name.</summary>
    public void Error(string text) => error.WriteLine($"a3: {text}");
}
