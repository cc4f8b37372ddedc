using TorchSharp;

namespace A3.Compression.Statistics;

/// <summary>
/// Second-moment statistics of one decoder layer over the calibration tokens, in float64,
/// already divided by <see cref="Tokens"/> (so each is an expectation <c>E[x xᵀ]</c>). One set
/// serves every solver: A3's QK/OV/MLP and both baselines (whose linear-layer input
/// autocorrelations are <see cref="AttentionInput"/>, <see cref="AttentionOutput"/>,
/// <see cref="MlpInput"/> and <see cref="Intermediate"/>). Owns its six tensors and disposes them
/// in <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// A class rather than a record: an owner of native tensors has identity, not value equality, and
/// a <c>with</c> copy would give one tensor two owners.
/// </remarks>
public sealed class LayerStatistics : IDisposable
{
    private bool disposed;

    /// <summary>Initializes a new instance that takes ownership of the six tensors.</summary>
    /// <param name="tokens">Number of calibration tokens accumulated.</param>
    /// <param name="attentionInput"><c>[d, d]</c>: input of q/k/v_proj (after the input RMSNorm).</param>
    /// <param name="query"><c>[H, qk, qk]</c>: per query head, the query vectors before RoPE (biases included).</param>
    /// <param name="key"><c>[Hkv, qk, qk]</c>: per key/value head, the key vectors before RoPE (biases included).</param>
    /// <param name="attentionOutput"><c>[H·v, H·v]</c>: input of o_proj (per-head attention outputs, concatenated).</param>
    /// <param name="mlpInput"><c>[d, d]</c>: input of gate/up_proj (after the post-attention RMSNorm).</param>
    /// <param name="intermediate"><c>[I, I]</c>: input of down_proj.</param>
    public LayerStatistics(
        long tokens,
        torch.Tensor attentionInput,
        torch.Tensor query,
        torch.Tensor key,
        torch.Tensor attentionOutput,
        torch.Tensor mlpInput,
        torch.Tensor intermediate)
    {
        Tokens = tokens;
        AttentionInput = attentionInput;
        Query = query;
        Key = key;
        AttentionOutput = attentionOutput;
        MlpInput = mlpInput;
        Intermediate = intermediate;
    }

    /// <summary>Gets the number of calibration tokens accumulated.</summary>
    public long Tokens { get; }

    /// <summary>Gets <c>[d, d]</c>: the autocorrelation of the input of q/k/v_proj (after the input RMSNorm).</summary>
    public torch.Tensor AttentionInput { get; }

    /// <summary>Gets <c>[H, qk, qk]</c>: per query head, the autocorrelation of the query vectors before RoPE (biases included).</summary>
    public torch.Tensor Query { get; }

    /// <summary>Gets <c>[Hkv, qk, qk]</c>: per key/value head, the autocorrelation of the key vectors before RoPE (biases included).</summary>
    public torch.Tensor Key { get; }

    /// <summary>
    /// Gets <c>[H·v, H·v]</c>: the autocorrelation of the input of o_proj (per-head attention outputs,
    /// concatenated); its diagonal <c>v×v</c> blocks are the per-head <c>C_h</c>.
    /// </summary>
    public torch.Tensor AttentionOutput { get; }

    /// <summary>Gets <c>[d, d]</c>: the autocorrelation of the input of gate/up_proj (after the post-attention RMSNorm).</summary>
    public torch.Tensor MlpInput { get; }

    /// <summary>Gets <c>[I, I]</c>: the autocorrelation of the input of down_proj, <c>h = silu(x W_g) ⊙ (x W_u)</c>.</summary>
    public torch.Tensor Intermediate { get; }

    /// <summary>Disposes the six tensors; later calls do nothing.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        AttentionInput.Dispose();
        Query.Dispose();
        Key.Dispose();
        AttentionOutput.Dispose();
        MlpInput.Dispose();
        Intermediate.Dispose();
    }
}
