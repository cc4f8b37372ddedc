namespace A3.Tokenizers;

/// <summary>The piece types of SentencePiece's <c>ModelProto.SentencePiece.Type</c>, with their wire values.</summary>
internal enum SentencePiecePieceType
{
    /// <summary>An ordinary piece produced by training.</summary>
    Normal = 1,

    /// <summary>The unknown piece.</summary>
    Unknown = 2,

    /// <summary>A control piece such as BOS or EOS; never produced from text.</summary>
    Control = 3,

    /// <summary>A user-defined piece, matched literally in the text and never merged.</summary>
    UserDefined = 4,

    /// <summary>A piece kept in the vocabulary but not emitted; split back into its halves.</summary>
    Unused = 5,

    /// <summary>A byte-fallback piece <c>&lt;0xNN&gt;</c>.</summary>
    Byte = 6,
}
