namespace A3.Tokenizers;

/// <summary>Repairs invalid UTF-16 before a tokenizer sees it.</summary>
internal static class Utf16Text
{
    /// <summary>The Unicode replacement character that stands for an unpaired surrogate.</summary>
    public const char ReplacementCharacter = '\uFFFD';

    /// <summary>
    /// Returns <paramref name="text"/> with every unpaired surrogate replaced by U+FFFD, the character
    /// Hugging Face tokenizers and SentencePiece produce for text that is not valid Unicode; the same
    /// instance when there is none, so valid text costs one scan.
    /// </summary>
    public static string ReplaceLoneSurrogates(string text)
    {
        var firstBad = FirstLoneSurrogate(text);
        if (firstBad < 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = firstBad; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = ReplacementCharacter;
            }
        }

        return new string(chars);
    }

    private static int FirstLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i]))
            {
                continue;
            }

            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }
}
