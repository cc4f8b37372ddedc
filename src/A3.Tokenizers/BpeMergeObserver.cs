namespace A3.Tokenizers;

/// <summary>
/// Called by <see cref="BpeSymbolMerger"/> for every merge it performs, with the merged span and the
/// length of its left half (SentencePiece uses it to split unused pieces back into their halves).
/// </summary>
internal delegate void BpeMergeObserver(int mergedStart, int leftLength, int mergedLength);
