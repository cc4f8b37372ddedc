namespace A3.Evaluation;

/// <summary>The outcome of a perplexity evaluation.</summary>
/// <param name="Perplexity"><c>exp(MeanNll)</c>.</param>
/// <param name="MeanNll">Mean negative log-likelihood per predicted token, in nats.</param>
/// <param name="Tokens">Number of predicted (scored) tokens.</param>
/// <param name="Sequences">Number of documents or windows scored.</param>
/// <param name="Seconds">Wall-clock seconds spent tokenising and scoring.</param>
public sealed record PerplexityResult(double Perplexity, double MeanNll, long Tokens, int Sequences, double Seconds);
