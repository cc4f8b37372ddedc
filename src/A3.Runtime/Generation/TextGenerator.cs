using System.Diagnostics;
using A3.Runtime.Model;
using A3.Runtime.Tokenization;
using TorchSharp;

namespace A3.Runtime.Generation;

/// <summary>Autoregressive generation with a KV cache: the prompt is processed once, then one token per step.</summary>
public static class TextGenerator
{
    /// <summary>Continues <paramref name="prompt"/> (encoded as <c>[BOS] + encode(prompt)</c>) by up to <paramref name="maxNewTokens"/> tokens.</summary>
    /// <exception cref="A3InputException">The prompt does not fit the model context.</exception>
    public static GenerationResult Generate(
        DecoderModel model,
        ITokenizer tokenizer,
        string prompt,
        int maxNewTokens,
        TokenSampler sampler,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNewTokens, 0);
        var clock = Stopwatch.StartNew();
        var promptIds = new List<int>();
        if (tokenizer.BosId is int bos)
        {
            promptIds.Add(bos);
        }

        promptIds.AddRange(tokenizer.Encode(prompt));
        int context = model.Config.MaxPositionEmbeddings;
        if (promptIds.Count >= context)
        {
            throw new InvalidSettingException("prompt", $"is {promptIds.Count} tokens; the model context is {context}");
        }

        int steps = Math.Min(maxNewTokens, context - promptIds.Count);
        var generated = new List<int>(steps);
        bool stoppedAtEos = false;
        using var cache = model.CreateCache(batchSize: 1, maxLength: promptIds.Count + steps);
        var next = promptIds;
        for (int step = 0; step < steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int token;
            using (var scope = torch.NewDisposeScope())
            {
                var input = torch.tensor(next.Select(id => (long)id).ToArray(), [1, next.Count], torch.int64, model.Device);
                var logits = model.NextTokenLogits(input, cache)[0].cpu();
                token = sampler.Sample(logits.data<float>().ToArray());
            }

            generated.Add(token);
            if (token == tokenizer.EosId)
            {
                stoppedAtEos = true;
                break;
            }

            next = [token];
        }

        var completionIds = stoppedAtEos ? generated[..^1] : generated;
        return new GenerationResult(prompt, DecodeContinuation(tokenizer, promptIds, completionIds), promptIds.Count, generated.Count, stoppedAtEos, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Decodes the continuation in the context of the prompt, because SentencePiece decoding of a
    /// sequence alone would drop or add the leading space of its first piece.
    /// </summary>
    private static string DecodeContinuation(ITokenizer tokenizer, IReadOnlyList<int> promptIds, IReadOnlyList<int> completionIds)
    {
        var prefix = tokenizer.Decode(promptIds);
        var whole = tokenizer.Decode(promptIds.Concat(completionIds));
        return whole.StartsWith(prefix, StringComparison.Ordinal) ? whole[prefix.Length..] : tokenizer.Decode(completionIds);
    }
}
