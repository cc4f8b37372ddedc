using System.Diagnostics;
using A3.Tokenizers;

namespace A3.Generation;

/// <summary>
/// The token ids a generation starts from and how many tokens it may add: the one definition both runtimes
/// (A3.Runtime, A3.OnnxRuntime) use, so a prompt continues the same way in either.
/// </summary>
/// <param name="Ids">The prompt ids: <c>[BOS] + encode(prompt)</c>, without BOS when the tokenizer declares none.</param>
/// <param name="Steps">The most tokens the generation may add: the requested count, capped by the context left.</param>
internal sealed record GenerationPrompt(IReadOnlyList<int> Ids, int Steps)
{
    /// <summary>Encodes <paramref name="prompt"/> and sizes the generation to the model context.</summary>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="prompt">The text to continue.</param>
    /// <param name="maxNewTokens">The most tokens to generate, 0 or more.</param>
    /// <param name="context">The model's context length.</param>
    /// <returns>The prompt.</returns>
    /// <exception cref="InvalidSettingException">The prompt does not fit the model context.</exception>
    public static GenerationPrompt Create(ITokenizer tokenizer, string prompt, int maxNewTokens, int context)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNewTokens, 0);
        var ids = new List<int>();
        if (tokenizer.BosId is int bos)
        {
            ids.Add(bos);
        }

        ids.AddRange(tokenizer.Encode(prompt));
        if (ids.Count >= context)
        {
            throw new InvalidSettingException("prompt", $"is {ids.Count} tokens; the model context is {context}");
        }

        return new GenerationPrompt(ids, Math.Min(maxNewTokens, context - ids.Count));
    }

    /// <summary>
    /// Decodes the continuation in the context of the prompt, because SentencePiece decoding of a
    /// sequence alone would drop or add the leading space of its first piece.
    /// </summary>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="completionIds">The generated ids, without the EOS that ended them.</param>
    /// <returns>The continuation's text.</returns>
    public string DecodeContinuation(ITokenizer tokenizer, IReadOnlyList<int> completionIds)
    {
        var prefix = tokenizer.Decode(Ids);
        var whole = tokenizer.Decode(Ids.Concat(completionIds));
        return whole.StartsWith(prefix, StringComparison.Ordinal) ? whole[prefix.Length..] : tokenizer.Decode(completionIds);
    }

    /// <summary>
    /// Runs the loop both runtimes share: feeds the prompt, then each new token alone, until <see cref="Steps"/> tokens or a
    /// stop id (which ends the generation and is left out of the text).
    /// </summary>
    /// <param name="prompt">The prompt text, as the result reports it.</param>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="stopIds">The ids that end the generation (<see cref="StopTokenIds"/>).</param>
    /// <param name="nextToken">Runs the model on the ids not yet seen (its cache holds the rest) and samples the next token.</param>
    /// <param name="clock">Started when the generation began, for the result's seconds.</param>
    /// <param name="cancellationToken">Checked before each step.</param>
    /// <returns>The continuation.</returns>
    public GenerationResult Run(string prompt, ITokenizer tokenizer, IReadOnlySet<int> stopIds, Func<IReadOnlyList<int>, int> nextToken, Stopwatch clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stopIds);
        ArgumentNullException.ThrowIfNull(nextToken);
        ArgumentNullException.ThrowIfNull(clock);
        var generated = new List<int>(Steps);
        bool stoppedAtEos = false;
        IReadOnlyList<int> next = Ids;
        for (int step = 0; step < Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int token = nextToken(next);
            generated.Add(token);
            if (stopIds.Contains(token))
            {
                stoppedAtEos = true;
                break;
            }

            next = [token];
        }

        var completionIds = stoppedAtEos ? generated[..^1] : generated;
        return new GenerationResult(prompt, DecodeContinuation(tokenizer, completionIds), Ids.Count, generated.Count, stoppedAtEos, clock.Elapsed.TotalSeconds);
    }
}
