namespace A3.Evaluation;

/// <summary>Splits a document file into documents.</summary>
internal static class DocumentSplitter
{
    /// <summary>
    /// Splits <paramref name="text"/> at <paramref name="separator"/>, trims each document (as
    /// Python's <c>str.strip</c>) and drops empty ones.
    /// </summary>
    public static IReadOnlyList<string> Split(string text, string separator)
    {
        ArgumentException.ThrowIfNullOrEmpty(separator);
        return text.Split(separator)
            .Select(document => document.Trim())
            .Where(document => document.Length > 0)
            .ToArray();
    }
}
