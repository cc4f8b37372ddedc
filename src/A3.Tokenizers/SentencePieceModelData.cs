namespace A3.Tokenizers;

/// <summary>The fields of a SentencePiece <c>ModelProto</c> that <see cref="SentencePieceBpeTokenizer"/> uses, with protobuf defaults.</summary>
internal sealed class SentencePieceModelData
{
    public List<string> Pieces { get; } = [];

    public List<float> Scores { get; } = [];

    public List<SentencePiecePieceType> Types { get; } = [];

    public int ModelType { get; set; } = 1;

    public bool ByteFallback { get; set; }

    public bool TreatWhitespaceAsSuffix { get; set; }

    public int BosId { get; set; } = 1;

    public int EosId { get; set; } = 2;

    public string UnknownSurface { get; set; } = " \u2047 ";

    public string NormalizerName { get; set; } = string.Empty;

    public bool HasPrecompiledCharsMap { get; set; }

    public bool AddDummyPrefix { get; set; } = true;

    public bool RemoveExtraWhitespaces { get; set; } = true;

    public bool EscapeWhitespaces { get; set; } = true;
}
