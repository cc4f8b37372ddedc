namespace A3.Cli.Output;

/// <summary>What <c>a3 generate --json</c> prints.</summary>
internal sealed record GenerateOutput(string Prompt, string Completion, string Text, int PromptTokens, int GeneratedTokens, bool StoppedAtEos, double Seconds, double TokensPerSecond);
