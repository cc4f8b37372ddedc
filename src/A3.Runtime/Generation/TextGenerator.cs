using System.Diagnostics;
using A3.Generation;
using A3.Runtime.Model;
using A3.Tokenizers;
using TorchSharp;

namespace A3.Runtime.Generation;

/// <summary>Autoregressive generation with a KV cache: the prompt is processed once, then one token per step.</summary>
public static class TextGenerator
{
    /// <summary>Continues <paramref name="prompt"/> (encoded as <c>[BOS] + encode(prompt)</c>) by up to <paramref name="maxNewTokens"/> tokens, stopping at the tokenizer's EOS or any <c>eos_token_id</c> of the model's config.</summary>
    /// <exception cref="A3InputException">The prompt does not fit the model context.</exception>
    public static GenerationResult Generate(
        DecoderModel model,
        ITokenizer tokenizer,
        string prompt,
        int maxNewTokens,
        TokenSampler sampler,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var prompted = GenerationPrompt.Create(tokenizer, prompt, maxNewTokens, model.Config.MaxPositionEmbeddings);
        var stopIds = StopTokenIds.Of(tokenizer, model.Config.EosTokenId is int configEos ? [configEos] : []);
        using var cache = model.CreateCache(batchSize: 1, maxLength: prompted.Ids.Count + prompted.Steps);
        return prompted.Run(prompt, tokenizer, stopIds, next =>
        {
            using var scope = torch.NewDisposeScope();
            var input = torch.tensor(next.Select(id => (long)id).ToArray(), [1, next.Count], torch.int64, model.Device);
            var logits = model.NextTokenLogits(input, cache)[0].cpu();
            return sampler.Sample(logits.data<float>().ToArray());
        }, clock, cancellationToken);
    }
}
