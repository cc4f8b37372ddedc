namespace A3.Evaluation;

/// <summary>How a text is turned into scored token sequences.</summary>
public enum EvaluationProtocol
{
    /// <summary>Each document is <c>[BOS] + encode(doc.strip())</c>, truncated to the model context and scored alone; NLL is pooled over all predicted tokens.</summary>
    Documents,

    /// <summary>The whole text (CRLF normalised) is encoded once without BOS and split into non-overlapping windows; every token after the first of each window is scored (the WikiText-2 protocol).</summary>
    Windows,
}
