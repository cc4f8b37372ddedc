using A3.Tokenizers;

namespace A3.Runtime.Tests.Evaluation;

/// <summary>One token per character (id = 3 + code % 29); BOS = 1 unless made without one (as Qwen is), EOS = 2. Enough to test protocols.</summary>
internal sealed class CharacterTokenizer(bool hasBos = true) : ITokenizer
{
    public int VocabSize => 32;

    public int? BosId => hasBos ? 1 : null;

    public int? EosId => 2;

    public IReadOnlyList<int> Encode(string text) => text.Select(c => 3 + (c % 29)).ToArray();

    public string Decode(IEnumerable<int> ids) => throw new NotSupportedException();
}
