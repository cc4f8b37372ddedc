using A3.Tokenizers;

namespace A3.Generation;

/// <summary>
/// The ids that end a generation, in both runtimes: the tokenizer's EOS and every <c>eos_token_id</c> the model's
/// <c>config.json</c> declares (Llama 3 lists several, and Hugging Face stops at any of them).
/// </summary>
internal static class StopTokenIds
{
    /// <summary>Returns the stop ids of a model.</summary>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="configEosIds">The <c>eos_token_id</c>s of the model's config.</param>
    /// <returns>The ids.</returns>
    public static IReadOnlySet<int> Of(ITokenizer tokenizer, IEnumerable<int> configEosIds)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(configEosIds);
        var ids = new HashSet<int>(configEosIds);
        if (tokenizer.EosId is int eos)
        {
            ids.Add(eos);
        }

        return ids;
    }
}
