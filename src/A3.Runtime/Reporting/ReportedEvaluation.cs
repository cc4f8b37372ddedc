namespace A3.Runtime.Reporting;

/// <summary>The perplexity of the compressed model measured at compression time, as stored in <c>a3-report.json</c>.</summary>
/// <param name="Perplexity"><c>exp(MeanNll)</c>.</param>
/// <param name="MeanNll">Mean negative log-likelihood per predicted token, in nats.</param>
/// <param name="Tokens">Number of predicted (scored) tokens.</param>
public sealed record ReportedEvaluation(double Perplexity, double MeanNll, long Tokens);
