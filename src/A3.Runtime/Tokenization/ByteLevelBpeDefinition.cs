using System.Text;

namespace A3.Runtime.Tokenization;

/// <summary>What <see cref="ByteLevelBpeTokenizer"/> reads from a <c>tokenizer.json</c>.</summary>
internal sealed class ByteLevelBpeDefinition
{
    public Dictionary<string, int> Vocab { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> MergeRanks { get; } = new(StringComparer.Ordinal);

    public bool IgnoreMerges { get; set; }

    public List<(string Content, int Id, bool Special)> AddedTokens { get; } = [];

    public List<NormalizationForm> Normalizations { get; } = [];

    public List<Func<string, IEnumerable<string>>> PreTokenizers { get; } = [];

    public bool AddPrefixSpace { get; set; }

    public string? BosToken { get; set; }

    public string? EosToken { get; set; }
}
