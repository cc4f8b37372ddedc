using A3.Tokenizers;

namespace A3.Compression.Tests.Calibration;

/// <summary>A tokenizer that only has a vocabulary size, for token-file calibration tests.</summary>
internal sealed class IdTokenizer(int vocabSize) : ITokenizer
{
    public int VocabSize => vocabSize;

    public int? BosId => 1;

    public int? EosId => 2;

    public IReadOnlyList<int> Encode(string text) => throw new NotSupportedException();

    public string Decode(IEnumerable<int> ids) => throw new NotSupportedException();
}
