using System.Text.Json;

namespace A3.Tokenizers;

/// <summary>What <see cref="TokenizerJsonReader"/> reads from a Hugging Face <c>tokenizer.json</c> BPE model.</summary>
internal sealed class TokenizerJsonData
{
    /// <summary>Gets the vocabulary: token text to id.</summary>
    public Dictionary<string, int> Vocab { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the merge ranks.</summary>
    public BpeMergeRanks MergeRanks { get; set; } = new(0);

    /// <summary>Gets or sets a value indicating whether a word found whole in the vocabulary skips the merges.</summary>
    public bool IgnoreMerges { get; set; }

    /// <summary>Gets or sets a value indicating whether characters outside the vocabulary become <c>&lt;0xNN&gt;</c> byte tokens.</summary>
    public bool ByteFallback { get; set; }

    /// <summary>Gets or sets the unknown token's content, when the model has one.</summary>
    public string? UnknownToken { get; set; }

    /// <summary>Gets or sets a value indicating whether consecutive unknown characters fuse into one unknown token.</summary>
    public bool FuseUnknown { get; set; }

    /// <summary>Gets the added tokens, in file order.</summary>
    public List<(string Content, int Id, bool Special)> AddedTokens { get; } = [];

    /// <summary>Gets or sets the <c>normalizer</c> section, when not null.</summary>
    public JsonElement? Normalizer { get; set; }

    /// <summary>Gets or sets the <c>pre_tokenizer</c> section, when not null.</summary>
    public JsonElement? PreTokenizer { get; set; }

    /// <summary>Gets or sets the <c>post_processor</c> section, when not null.</summary>
    public JsonElement? PostProcessor { get; set; }

    /// <summary>Gets or sets the <c>decoder</c> section, when not null.</summary>
    public JsonElement? Decoder { get; set; }

    /// <summary>Gets the number of ids: one more than the largest id of the vocabulary and the added tokens.</summary>
    public int IdCount => Math.Max(
        Vocab.Count == 0 ? 0 : Vocab.Values.Max() + 1,
        AddedTokens.Count == 0 ? 0 : AddedTokens.Max(t => t.Id) + 1);

    /// <summary>Returns the id of a token's content, looking in the added tokens first, as Hugging Face's <c>token_to_id</c> does.</summary>
    public int? IdOf(string content)
    {
        foreach (var token in AddedTokens)
        {
            if (token.Content == content)
            {
                return token.Id;
            }
        }

        return Vocab.TryGetValue(content, out var id) ? id : null;
    }
}
