using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace A3.Generators.Emit;

/// <summary>C# spellings of recipe values and documentation text.</summary>
internal static class CSharpLiterals
{
    /// <summary>Returns a C# string literal of <paramref name="value"/>, escaped.</summary>
    public static string String(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>Returns a C# double literal of a round-trip number, with a decimal point so it never reads as an integer.</summary>
    public static string Double(string roundTrip) =>
        roundTrip.IndexOfAny(['.', 'E', 'e']) >= 0 ? roundTrip : roundTrip + ".0";

    /// <summary>Returns a C# double literal of <paramref name="value"/>, or <c>null</c>.</summary>
    public static string NullableDouble(double? value) =>
        value is double number ? Double(number.ToString("R", CultureInfo.InvariantCulture)) : "null";

    /// <summary>Escapes <paramref name="text"/> for an XML documentation comment.</summary>
    public static string Xml(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }
}
