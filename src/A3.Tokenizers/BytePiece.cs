using System.Globalization;

namespace A3.Tokenizers;

/// <summary>The <c>&lt;0xNN&gt;</c> pieces that byte-fallback vocabularies hold for each byte.</summary>
internal static class BytePiece
{
    /// <summary>Returns the piece of a byte, <c>&lt;0x0A&gt;</c> for newline.</summary>
    public static string Of(byte value) => $"<0x{value:X2}>";

    /// <summary>Parses a <c>&lt;0xNN&gt;</c> piece.</summary>
    public static bool TryParse(string piece, out byte value)
    {
        value = 0;
        return piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece[5] == '>'
            && byte.TryParse(piece.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
