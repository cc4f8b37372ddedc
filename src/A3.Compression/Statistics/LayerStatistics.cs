using TorchSharp;

namespace A3.Compression.Statistics;

/// <summary>
/// Second-moment statistics of one decoder layer over the calibration tokens, in float64,
/// already divided by <see cref="Tokens"/> (so each is an expectation <c>E[x xᵀ]</c>). One set
/// serves every solver: A3's QK/OV/MLP and both baselines (whose linear-layer input
/// autocorrelations are <see cref="AttentionInput"/>, <see cref="AttentionOutput"/>,
/// <see cref="MlpInput"/> and <see cref="Intermediate"/>). Owns its tensors.
/// </summary>
/// <param name="Tokens">Number of calibration tokens accumulated.</param>
/// <param name="AttentionInput"><c>[d, d]</c>: input of q/k/v_proj (after the input RMSNorm).</param>
/// <param name="Query"><c>[H, qk, qk]</c>: per query head, the query vectors before RoPE (biases included).</param>
/// <param name="Key"><c>[Hkv, qk, qk]</c>: per key/value head, the key vectors before RoPE (biases included).</param>
/// <param name="AttentionOutput"><c>[H·v, H·v]</c>: input of o_proj (per-head attention outputs, concatenated); its diagonal <c>v×v</c> blocks are the per-head <c>C_h</c>.</param>
/// <param name="MlpInput"><c>[d, d]</c>: input of gate/up_proj (after the post-attention RMSNorm).</param>
/// <param name="Intermediate"><c>[I, I]</c>: input of down_proj, <c>h = silu(x W_g) ⊙ (x W_u)</c>.</param>
public sealed record LayerStatistics(
    long Tokens,
    torch.Tensor AttentionInput,
    torch.Tensor Query,
    torch.Tensor Key,
    torch.Tensor AttentionOutput,
    torch.Tensor MlpInput,
    torch.Tensor Intermediate) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        AttentionInput.Dispose();
        Query.Dispose();
        Key.Dispose();
        AttentionOutput.Dispose();
        MlpInput.Dispose();
        Intermediate.Dispose();
    }
}
