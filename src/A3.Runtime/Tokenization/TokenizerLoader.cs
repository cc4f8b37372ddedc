using A3.Recipes;

namespace A3.Runtime.Tokenization;

/// <summary>Finds and loads the tokenizer that belongs to a model folder or llama2.c checkpoint.</summary>
public static class TokenizerLoader
{
    /// <summary>
    /// Loads the tokenizer for a model, the file <see cref="ModelFiles.FindTokenizer"/> names. For a folder:
    /// <c>tokenizer.json</c> when it describes a byte-level BPE, else <c>tokenizer.model</c>, else a llama2.c
    /// <c>tok*.bin</c>. For a file (a llama2.c <c>.bin</c> checkpoint or a tokenizer file itself): a
    /// SentencePiece <c>tokenizer.model</c> or <c>tok*.model</c> beside it, preferred because it is the
    /// tokenizer the model was trained with, else a <c>tok*.bin</c> beside it.
    /// </summary>
    /// <param name="modelPath">A model folder, a llama2.c checkpoint, or a tokenizer file.</param>
    /// <param name="vocabSize">The model's vocabulary size, used to validate a llama2.c <c>tok*.bin</c> named by or beside a file; null to infer it.</param>
    /// <exception cref="A3InputException">The path does not exist, no tokenizer is found, or the tokenizer is malformed.</exception>
    public static ITokenizer Load(string modelPath, int? vocabSize = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        var isFolder = Directory.Exists(modelPath);
        if (!isFolder && !File.Exists(modelPath))
        {
            throw new A3InputException(A3ErrorCodes.FileNotFound, $"model path '{modelPath}' does not exist.", modelPath);
        }

        var tokenizer = ModelFiles.FindTokenizer(modelPath, json => ByteLevelBpeTokenizer.IsByteLevel(File.ReadAllText(json)));
        if (tokenizer is null)
        {
            throw NotFound(modelPath, isFolder);
        }

        return tokenizer.Format switch
        {
            TokenizerFormat.TokenizerJson => ByteLevelBpeTokenizer.Load(tokenizer.Path),
            TokenizerFormat.SentencePieceModel => SentencePieceBpeTokenizer.Load(tokenizer.Path),
            // A folder's tok*.bin has always been read with its vocabulary size inferred.
            TokenizerFormat.Llama2cBinary => Llama2cTokenizer.Load(tokenizer.Path, isFolder ? null : vocabSize),
            _ => throw new System.Diagnostics.UnreachableException($"tokenizer format {tokenizer.Format} has no reader."),
        };
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
