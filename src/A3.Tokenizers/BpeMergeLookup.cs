namespace A3.Tokenizers;

/// <summary>
/// Looks up a candidate merge of two adjacent symbols for <see cref="BpeSymbolMerger"/>, given the merged
/// text and the length of its left half; returns false when the pair may not merge. Higher scores merge first.
/// </summary>
internal delegate bool BpeMergeLookup(ReadOnlySpan<char> piece, int leftLength, out float score);
