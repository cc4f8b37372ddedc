namespace A3.Evaluation;

/// <summary>A token sequence to score: every token after the first is predicted from its prefix.</summary>
/// <param name="Ids">The token ids, at least two.</param>
public readonly record struct ScoringSequence(int[] Ids);
