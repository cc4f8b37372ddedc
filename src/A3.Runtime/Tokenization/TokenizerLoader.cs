namespace A3.Runtime.Tokenization;

/// <summary>Finds and loads the tokenizer that belongs to a model folder or llama2.c checkpoint.</summary>
public static class TokenizerLoader
{
    /// <summary>
    /// Loads the tokenizer for a model. For a folder: <c>tokenizer.json</c> when it describes a byte-level
    /// BPE, else <c>tokenizer.model</c>, else a llama2.c <c>tok*.bin</c>. For a file (a llama2.c <c>.bin</c> checkpoint or a tokenizer file
    /// itself): a SentencePiece <c>tokenizer.model</c> or <c>tok*.model</c> beside it, preferred because it is
    /// the tokenizer the model was trained with, else a <c>tok*.bin</c> beside it.
    /// </summary>
    /// <param name="modelPath">A model folder, a llama2.c checkpoint, or a tokenizer file.</param>
    /// <param name="vocabSize">The model's vocabulary size, used to validate a llama2.c <c>tok*.bin</c>; null to infer it.</param>
    /// <exception cref="A3InputException">The path does not exist, no tokenizer is found, or the tokenizer is malformed.</exception>
    public static ITokenizer Load(string modelPath, int? vocabSize = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        if (Directory.Exists(modelPath))
        {
            return LoadFromFolder(modelPath);
        }

        if (!File.Exists(modelPath))
        {
            throw new A3InputException(A3ErrorCodes.FileNotFound, $"model path '{modelPath}' does not exist.", modelPath);
        }

        var fileName = Path.GetFileName(modelPath);
        if (fileName.Equals("tokenizer.json", StringComparison.OrdinalIgnoreCase))
        {
            return ByteLevelBpeTokenizer.Load(modelPath);
        }

        if (fileName.EndsWith(".model", StringComparison.OrdinalIgnoreCase))
        {
            return SentencePieceBpeTokenizer.Load(modelPath);
        }

        if (IsLlama2cTokenizerName(fileName))
        {
            return Llama2cTokenizer.Load(modelPath, vocabSize);
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        var sentencePiece = FirstExisting(folder, "tokenizer.model", "tok*.model");
        if (sentencePiece is not null)
        {
            return SentencePieceBpeTokenizer.Load(sentencePiece);
        }

        var llama2c = FirstExisting(folder, "tok*.bin");
        if (llama2c is not null)
        {
            return Llama2cTokenizer.Load(llama2c, vocabSize);
        }

        throw new A3InputException(
            A3ErrorCodes.InvalidTokenizer,
            $"no tokenizer found for '{modelPath}': expected tokenizer.model, tok*.model or tok*.bin in folder '{folder}'.",
            modelPath);
    }

    private static ITokenizer LoadFromFolder(string folder)
    {
        var json = Path.Combine(folder, "tokenizer.json");
        var model = Path.Combine(folder, "tokenizer.model");
        if (File.Exists(json))
        {
            // A Llama 2 style tokenizer.json is SentencePiece BPE in JSON form; its tokenizer.model is the exact source.
            if (File.Exists(model) && !ByteLevelBpeTokenizer.IsByteLevel(File.ReadAllText(json)))
            {
                return SentencePieceBpeTokenizer.Load(model);
            }

            return ByteLevelBpeTokenizer.Load(json);
        }

        if (File.Exists(model))
        {
            return SentencePieceBpeTokenizer.Load(model);
        }

        // A model converted from llama2.c whose only tokenizer is the binary tok*.bin keeps it under that name.
        var llama2c = FirstExisting(folder, "tok*.bin");
        if (llama2c is not null)
        {
            return Llama2cTokenizer.Load(llama2c, vocabSize: null);
        }

        throw new A3InputException(
            A3ErrorCodes.InvalidTokenizer, $"no tokenizer found in folder '{folder}': expected tokenizer.json, tokenizer.model or tok*.bin.", folder);
    }

    private static bool IsLlama2cTokenizerName(string fileName) =>
        fileName.StartsWith("tok", StringComparison.OrdinalIgnoreCase) && fileName.EndsWith(".bin", StringComparison.OrdinalIgnoreCase);

    private static string? FirstExisting(string folder, params string[] patterns)
    {
        foreach (var pattern in patterns)
        {
            var match = Directory.EnumerateFiles(folder, pattern).Order(StringComparer.Ordinal).FirstOrDefault();
            if (match is not null)
            {
                return match;
            }
        }

        return null;
    }
}
