using System.Text.Json;
using A3.IO;

namespace A3.Tokenizers;

/// <summary>Reads a <c>tokenizer.json</c>, turning every way it can be wrong into one located <see cref="A3InputException"/>.</summary>
internal static class TokenizerJsonFile
{
    /// <summary>
    /// Reads the <c>tokenizer.json</c> at <paramref name="path"/> and the BOS/EOS declarations of the files beside it
    /// (<c>tokenizer_config.json</c>, <c>generation_config.json</c>): what every tokenizer built from the file needs.
    /// </summary>
    /// <param name="path">The <c>tokenizer.json</c> file.</param>
    /// <exception cref="A3InputException">The file is missing, malformed or not a supported BPE tokenizer.</exception>
    public static (TokenizerJsonData Data, SpecialTokenDeclarations Declarations) Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        InputFiles.Require(path, $"tokenizer '{path}' does not exist.");

        var data = Read(File.ReadAllBytes(path), path, path);
        return (data, SpecialTokenDeclarations.ReadFolder(Path.GetDirectoryName(Path.GetFullPath(path))!));
    }

    /// <summary>Reads a BPE <c>tokenizer.json</c> from its UTF-8 bytes.</summary>
    /// <param name="utf8">The file contents.</param>
    /// <param name="name">The file as messages name it.</param>
    /// <param name="sourcePath">The file, when the bytes came from one.</param>
    /// <exception cref="A3InputException">The JSON is malformed or not a supported BPE tokenizer.</exception>
    public static TokenizerJsonData Read(ReadOnlySpan<byte> utf8, string name, string? sourcePath)
    {
        try
        {
            return TokenizerJsonReader.Read(utf8);
        }
        catch (NotSupportedException ex)
        {
            throw new A3InputException(A3ErrorCodes.InvalidTokenizer, $"tokenizer '{name}' uses {ex.Message}, which is not supported.", sourcePath, ex);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new A3InputException(A3ErrorCodes.InvalidTokenizer, $"tokenizer '{name}' is malformed: {ex.Message}", sourcePath, ex);
        }
    }
}
