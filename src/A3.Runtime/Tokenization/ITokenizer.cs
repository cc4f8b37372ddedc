namespace A3.Runtime.Tokenization;

/// <summary>Turns text into model token ids and back.</summary>
public interface ITokenizer
{
    /// <summary>Gets the vocabulary size.</summary>
    int VocabSize { get; }

    /// <summary>Gets the beginning-of-sequence id, when the vocabulary has one.</summary>
    int? BosId { get; }

    /// <summary>Gets the end-of-sequence id, when the vocabulary has one.</summary>
    int? EosId { get; }

    /// <summary>Encodes text exactly as the model's reference tokenizer does, without adding BOS/EOS.</summary>
    IReadOnlyList<int> Encode(string text);

    /// <summary>Decodes ids into text (special tokens omitted).</summary>
    string Decode(IEnumerable<int> ids);
}
