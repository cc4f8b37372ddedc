using Tokenizers.DotNet;

namespace A3.Runtime.Tests.Tokenization;

/// <summary>
/// Hugging Face's Rust <c>tokenizers</c> (through Tokenizers.DotNet) on a <c>tokenizer.json</c>: the
/// independent implementation whose ids the project's readers must reproduce. Its <c>Encode</c> applies the
/// file's post-processor and its <c>Decode</c> skips special tokens.
/// </summary>
internal sealed class HuggingFaceReference : IDisposable
{
    private readonly Tokenizer tokenizer;

    private HuggingFaceReference(Tokenizer tokenizer)
    {
        this.tokenizer = tokenizer;
        TemplatePrefix = Encode(string.Empty);
    }

    /// <summary>Gets the ids the post-processor puts before any text (BOS for a Llama 2 style template).</summary>
    public int[] TemplatePrefix { get; }

    /// <summary>Opens a <c>tokenizer.json</c>, skipping the test when the native library cannot load here.</summary>
    public static HuggingFaceReference Open(string tokenizerJson)
    {
        try
        {
            return new HuggingFaceReference(new Tokenizer(tokenizerJson));
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException or TypeInitializationException)
        {
            Skip.If(true, $"the Hugging Face reference tokenizer cannot load on this platform: {ex.Message}");
            throw;
        }
    }

    /// <summary>Encodes as Hugging Face does with special tokens added by the post-processor.</summary>
    public int[] Encode(string text) => tokenizer.Encode(text).Select(id => checked((int)id)).ToArray();

    /// <summary>Encodes and removes the post-processor's prefix: the ids of the text alone.</summary>
    public int[] EncodeWithoutTemplate(string text)
    {
        var ids = Encode(text);
        Assert.True(ids.AsSpan().StartsWith(TemplatePrefix), "the reference's post-processor prefix should start every encoding");
        return ids[TemplatePrefix.Length..];
    }

    /// <summary>Decodes, skipping special tokens and ids the tokenizer does not have.</summary>
    public string Decode(IEnumerable<int> ids) => tokenizer.Decode(ids.Select(id => checked((uint)id)).ToArray());

    /// <inheritdoc />
    public void Dispose() => tokenizer.Dispose();
}
