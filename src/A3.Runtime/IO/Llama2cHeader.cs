namespace A3.Runtime.IO;

/// <summary>The 7-int32 header of a legacy llama2.c checkpoint.</summary>
internal readonly record struct Llama2cHeader(int Dim, int HiddenDim, int NumLayers, int NumHeads, int NumKvHeads, int VocabSize, int SeqLen)
{
    /// <summary>The header size: 7 little-endian int32.</summary>
    public const int Bytes = 7 * sizeof(int);

    /// <summary>Gets the per-head size, <c>dim / n_heads</c>.</summary>
    public int HeadSize => Dim / NumHeads;

    /// <summary>Returns the exact file size the header implies, failing on absurd headers.</summary>
    public long ExpectedFileBytes(string path)
    {
        try
        {
            checked
            {
                long dim = Dim, hidden = HiddenDim, layers = NumLayers, vocab = Math.Abs((long)VocabSize);
                long kvDim = (long)NumKvHeads * HeadSize;
                var floats = (vocab * dim)
                    + (layers * dim * 2)
                    + (layers * dim * dim * 2)
                    + (layers * kvDim * dim * 2)
                    + (layers * hidden * dim * 3)
                    + dim
                    + (2L * SeqLen * (HeadSize / 2))
                    + (VocabSize < 0 ? vocab * dim : 0);
                return Bytes + (floats * sizeof(float));
            }
        }
        catch (OverflowException e)
        {
            throw new A3InputException(A3ErrorCodes.InvalidLlama2cCheckpoint, $"the header ({this}) describes an impossibly large model.", path, e);
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"dim={Dim}, hidden_dim={HiddenDim}, n_layers={NumLayers}, n_heads={NumHeads}, n_kv_heads={NumKvHeads}, vocab_size={VocabSize}, seq_len={SeqLen}";
}
