namespace A3.Tokenizers;

/// <summary>
/// Checks, when a model is opened, that its tokenizer belongs to it. A tokenizer with more ids than the
/// model's <c>vocab_size</c> would feed ids that have no embedding row, so it is rejected. A tokenizer with
/// fewer ids is what Hugging Face allows and real models ship (Qwen3: 151,669 ids beside a vocab_size of
/// 151,936, the rest padding rows that decode to nothing); but one covering less than half of the rows
/// (a 512-piece tokenizer beside a 32,000-row model) is another model's tokenizer, rejected here rather
/// than producing text from ids it cannot decode.
/// </summary>
internal static class TokenizerVocabularyCheck
{
    /// <summary>Throws when the tokenizer's ids and the model's rows do not fit together.</summary>
    /// <param name="tokenizer">The loaded tokenizer.</param>
    /// <param name="tokenizerPath">The tokenizer file, for the message.</param>
    /// <param name="modelVocabSize">The model's vocabulary size (embedding rows).</param>
    /// <param name="configPath">The file that declares <paramref name="modelVocabSize"/>.</param>
    /// <exception cref="A3InputException">The tokenizer has more ids than the model, or covers less than half of its rows.</exception>
    public static void Verify(ITokenizer tokenizer, string tokenizerPath, int modelVocabSize, string configPath)
    {
        var ids = tokenizer.VocabSize;
        if (ids > modelVocabSize)
        {
            throw new A3InputException(
                A3ErrorCodes.InvalidTokenizer,
                $"tokenizer '{tokenizerPath}' has {ids} ids but '{configPath}' declares vocab_size {modelVocabSize}: ids from {modelVocabSize} on have no embedding row; the tokenizer is not this model's.",
                tokenizerPath);
        }

        if (ids < modelVocabSize / 2)
        {
            throw new A3InputException(
                A3ErrorCodes.InvalidTokenizer,
                $"tokenizer '{tokenizerPath}' has {ids} ids but '{configPath}' declares vocab_size {modelVocabSize}: it covers less than half of the model's vocabulary, so it is not this model's tokenizer.",
                tokenizerPath);
        }
    }
}
