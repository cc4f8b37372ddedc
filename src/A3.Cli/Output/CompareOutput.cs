namespace A3.Cli.Output;

/// <summary>What <c>a3 compare --json</c> prints: one row per method and budget, the original model first.</summary>
internal sealed record CompareOutput(IReadOnlyList<CompareRow> Rows);

/// <summary>One row of <see cref="CompareOutput"/>.</summary>
internal sealed record CompareRow(string Method, double Budget, double Perplexity, double? Kl, long DecoderParamsRemoved, long KvBytesPerToken, long FlopsPerToken, double Seconds);
