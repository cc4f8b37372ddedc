namespace A3.Generation;

/// <summary>The outcome of a generation.</summary>
/// <param name="Prompt">The prompt as given.</param>
/// <param name="Completion">The generated continuation, decoded.</param>
/// <param name="PromptTokens">Prompt token count, BOS included.</param>
/// <param name="GeneratedTokens">Generated token count (EOS, when reached, included).</param>
/// <param name="StoppedAtEos">Whether generation ended on the end-of-sequence token.</param>
/// <param name="Seconds">Wall-clock seconds, prompt processing included.</param>
public sealed record GenerationResult(string Prompt, string Completion, int PromptTokens, int GeneratedTokens, bool StoppedAtEos, double Seconds)
{
    /// <summary>Gets generated tokens per second.</summary>
    public double TokensPerSecond => Seconds > 0 ? GeneratedTokens / Seconds : 0;
}
