using A3.IO;
using A3.Recipes;

namespace A3.Tokenizers;

/// <summary>Finds and loads the tokenizer that belongs to a model folder or llama2.c checkpoint.</summary>
public static class TokenizerLoader
{
    /// <summary>
    /// Loads the tokenizer for a model, the file <see cref="ModelFiles.FindTokenizer"/> names. For a folder:
    /// <c>tokenizer.json</c> (byte-level BPE, or SentencePiece-style BPE when no <c>tokenizer.model</c> lies
    /// beside it), else <c>tokenizer.model</c>, else a llama2.c
    /// <c>tok*.bin</c>. For a file (a llama2.c <c>.bin</c> checkpoint or a tokenizer file itself): a
    /// SentencePiece <c>tokenizer.model</c> or <c>tok*.model</c> beside it, preferred because it is the
    /// tokenizer the model was trained with, else a <c>tok*.bin</c> beside it.
    /// </summary>
    /// <param name="modelPath">A model folder, a llama2.c checkpoint, or a tokenizer file.</param>
    /// <param name="vocabSize">The model's vocabulary size, used to validate a llama2.c <c>tok*.bin</c> named by or beside a file; null to infer it.</param>
    /// <exception cref="A3InputException">The path does not exist, no tokenizer is found, or the tokenizer is malformed.</exception>
    public static ITokenizer Load(string modelPath, int? vocabSize = null) => LoadWithPath(modelPath, vocabSize).Tokenizer;

    /// <summary>Loads the tokenizer as <see cref="Load"/> does and tells which file it was read from.</summary>
    internal static (ITokenizer Tokenizer, string Path) LoadWithPath(string modelPath, int? vocabSize = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        var isFolder = Directory.Exists(modelPath);
        if (!isFolder && !File.Exists(modelPath))
        {
            throw new A3InputException(A3ErrorCodes.FileNotFound, $"model path '{modelPath}' does not exist.", modelPath);
        }

        var tokenizer = ModelFiles.FindTokenizer(modelPath, IsByteLevelFile);
        if (tokenizer is null)
        {
            throw NotFound(modelPath, isFolder);
        }

        ITokenizer loaded = tokenizer.Format switch
        {
            TokenizerFormat.TokenizerJson => LoadTokenizerJson(tokenizer.Path),
            TokenizerFormat.SentencePieceModel => LoadSentencePiece(tokenizer.Path, isFolder),
            // A folder's tok*.bin has always been read with its vocabulary size inferred.
            TokenizerFormat.Llama2cBinary => Llama2cTokenizer.Load(tokenizer.Path, isFolder ? null : vocabSize),
            _ => throw new System.Diagnostics.UnreachableException($"tokenizer format {tokenizer.Format} has no reader."),
        };
        return (loaded, tokenizer.Path);
    }

    /// <summary>
    /// Reads a <c>tokenizer.json</c> once and builds the tokenizer its contents describe: byte-level BPE when
    /// it has a ByteLevel pre-tokenizer, else SentencePiece-style BPE.
    /// </summary>
    private static ITokenizer LoadTokenizerJson(string path)
    {
        var (data, declarations) = TokenizerJsonFile.Load(path);
        return data.PreTokenizer is { } pre && TokenizerJsonReader.ContainsType(pre, "ByteLevel")
            ? ByteLevelBpeTokenizer.Create(data, declarations, path, path)
            : SentencePieceJsonTokenizer.Create(data, declarations, path, path);
    }

    /// <summary>
    /// Loads a SentencePiece model; in a model folder, BOS and EOS follow the folder's declarations
    /// (a Hugging Face folder's <c>tokenizer_config.json</c> may say <c>add_bos_token: false</c>).
    /// </summary>
    private static SentencePieceBpeTokenizer LoadSentencePiece(string path, bool inModelFolder)
    {
        var tokenizer = SentencePieceBpeTokenizer.Load(path);
        if (inModelFolder)
        {
            tokenizer.ApplyDeclarations(SpecialTokenDeclarations.ReadFolder(Path.GetDirectoryName(Path.GetFullPath(path))!), path);
        }

        return tokenizer;
    }

    /// <summary>Tells whether a <c>tokenizer.json</c> is byte-level BPE, reading its bytes as they are rather than through a UTF-16 copy.</summary>
    private static bool IsByteLevelFile(string path)
    {
        InputFiles.Require(path, $"tokenizer '{path}' does not exist.");
        try
        {
            return TokenizerJsonReader.IsByteLevel(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    private static A3InputException NotFound(string modelPath, bool isFolder)
    {
        if (isFolder)
        {
            return new A3InputException(
                A3ErrorCodes.InvalidTokenizer, $"no tokenizer found in folder '{modelPath}': expected {ModelFiles.TokenizersInFolder}.", modelPath);
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        return new A3InputException(
            A3ErrorCodes.InvalidTokenizer,
            $"no tokenizer found for '{modelPath}': expected {ModelFiles.TokenizersBesideCheckpoint} in folder '{folder}'.",
            modelPath);
    }
}
