using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace A3.Cli;

/// <summary>Where verbs write: results on stdout (text or JSON), diagnostics and progress on stderr.</summary>
internal sealed class CliConsole(TextWriter output, TextWriter error)
{
    /// <summary>Gets the standard error writer (progress and diagnostics).</summary>
    public TextWriter ErrorWriter => error;

    /// <summary>Writes one line of human-readable output.</summary>
    public void Line(string text) => output.WriteLine(text);

    /// <summary>Writes <paramref name="value"/> as JSON through its generated contract, with quotes, '&lt;', '&gt;', '&amp;', '+' and non-ASCII text as written.</summary>
    public void Json<T>(T value, JsonTypeInfo<T> contract)
    {
        // The default encoder escapes what is unsafe in HTML ("\u0022", "\u003C|endoftext|\u003E"); stdout is no web page,
        // and the relaxed encoder still escapes all that JSON requires.
        var options = new JsonSerializerOptions(contract.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        output.WriteLine(JsonSerializer.Serialize(value, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T))));
    }

    /// <summary>Writes a line on stderr prefixed with the tool name.</summary>
    public void Error(string text) => error.WriteLine($"a3: {text}");

    /// <summary>Writes a diagnostic line on stderr as it is (it names its own file and code).</summary>
    public void Diagnostic(string text) => error.WriteLine(text);
}
