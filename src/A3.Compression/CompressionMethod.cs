namespace A3.Compression;

/// <summary>How decoder layers are compressed.</summary>
public enum CompressionMethod
{
    /// <summary>A3: RoPE pair selection for QK, analytical OV, CUR for the MLP; same operators, smaller shapes.</summary>
    A3,

    /// <summary>Baseline: plain truncated SVD of every decoder linear layer, factorised into two matrices.</summary>
    Svd,

    /// <summary>Baseline: SVD-LLM, truncated SVD of every linear layer whitened by the Cholesky factor of its input autocorrelation.</summary>
    SvdLlm,
}
