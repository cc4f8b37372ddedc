namespace A3.Recipes;

/// <summary>How a model's tokenizer file is written, which decides the reader that loads it.</summary>
public enum TokenizerFormat
{
    /// <summary>A Hugging Face <c>tokenizer.json</c> (read as a byte-level BPE).</summary>
    TokenizerJson,

    /// <summary>A SentencePiece model: <c>tokenizer.model</c>, or a llama2.c <c>tok*.model</c>.</summary>
    SentencePieceModel,

    /// <summary>The binary tokenizer a llama2.c export writes, <c>tok*.bin</c>.</summary>
    Llama2cBinary,
}
