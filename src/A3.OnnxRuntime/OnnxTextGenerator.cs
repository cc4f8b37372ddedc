using System.Diagnostics;
using A3.Generation;
using A3.Tokenizers;

namespace A3.OnnxRuntime;

/// <summary>
/// Autoregressive generation over a <see cref="DecoderSession"/>: the prompt is run once (prefill), then one token
/// per step with the cache fed back. The prompt, its budget and the decoding of the continuation follow
/// <see cref="GenerationPrompt"/>, as A3.Runtime's generator does.
/// </summary>
internal static class OnnxTextGenerator
{
    /// <summary>Continues <paramref name="prompt"/> by up to <paramref name="maxNewTokens"/> tokens, stopping at any of <paramref name="stopIds"/>.</summary>
    /// <exception cref="A3InputException">The prompt does not fit the model context.</exception>
    public static GenerationResult Generate(
        DecoderSession session,
        ITokenizer tokenizer,
        int context,
        IReadOnlySet<int> stopIds,
        string prompt,
        int maxNewTokens,
        TokenSampler sampler,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var prompted = GenerationPrompt.Create(tokenizer, prompt, maxNewTokens, context);
        using var cache = OnnxKvCache.Empty(session.Contract.Layers);
        return prompted.Run(prompt, tokenizer, stopIds, next =>
        {
            var outputs = session.Run(next, cache);
            cache.Advance(outputs, next.Count);
            var logits = outputs[0];
            return sampler.Sample(LogitRows.Row(logits, LogitRows.Count(logits) - 1));
        }, clock, cancellationToken);
    }
}
