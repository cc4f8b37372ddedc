namespace A3.Cli.Output;

/// <summary>What <c>a3 eval --json</c> prints.</summary>
internal sealed record EvalOutput(double Perplexity, double MeanNll, long Tokens, double Seconds, int Sequences, double TokensPerSecond, string Device, string Dtype);
