namespace A3.Tokenizers;

/// <summary>Turns text into model token ids and back.</summary>
public interface ITokenizer
{
    /// <summary>Gets the number of ids the tokenizer knows (one more than its largest id).</summary>
    int VocabSize { get; }

    /// <summary>
    /// Gets the id a sequence starts with, as the tokenizer files declare it (<c>tokenizer_config.json</c>,
    /// the <c>tokenizer.json</c> post-processor, <c>generation_config.json</c>, or the tokenizer format itself);
    /// null when the model adds no BOS (Qwen declares <c>"bos_token": null</c>). Never guessed from the vocabulary.
    /// </summary>
    int? BosId { get; }

    /// <summary>Gets the end-of-sequence id that stops generation, as the tokenizer files declare it; null when none is declared.</summary>
    int? EosId { get; }

    /// <summary>Encodes text exactly as the model's reference tokenizer does, without adding BOS/EOS.</summary>
    IReadOnlyList<int> Encode(string text);

    /// <summary>Decodes ids into text (special tokens omitted).</summary>
    string Decode(IEnumerable<int> ids);
}
