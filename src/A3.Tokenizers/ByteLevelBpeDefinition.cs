using System.Text;

namespace A3.Tokenizers;

/// <summary>How <see cref="ByteLevelBpeTokenizer"/> interprets the normalizer and pre-tokenizer of a <c>tokenizer.json</c>.</summary>
internal sealed class ByteLevelBpeDefinition
{
    public List<NormalizationForm> Normalizations { get; } = [];

    public List<Func<string, IEnumerable<string>>> PreTokenizers { get; } = [];

    public bool AddPrefixSpace { get; set; }
}
