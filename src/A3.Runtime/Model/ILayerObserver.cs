using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>
/// Sees the inner activations of one <see cref="DecoderLayer"/> forward, in the order they are
/// computed. The tensors belong to the forward's dispose scope and are valid only during the
/// call: an observer that keeps anything must copy it (or reduce it, as the statistics do).
/// </summary>
internal interface ILayerObserver
{
    /// <summary>Receives the input of q/k/v_proj, after the input RMSNorm: <c>[B, T, d]</c>.</summary>
    void OnAttentionInput(torch.Tensor input);

    /// <summary>
    /// Receives the queries <c>[B, T, H, qk]</c> and keys <c>[B, T, H_kv, qk]</c> before RoPE, biases
    /// included. Query head <c>h</c> reads key/value head <c>h / (H/H_kv)</c>.
    /// </summary>
    void OnQueryKey(torch.Tensor query, torch.Tensor key);

    /// <summary>Receives the input of o_proj, the per-head attention outputs concatenated head-major: <c>[B, T, H·v]</c>.</summary>
    void OnAttentionOutput(torch.Tensor context);

    /// <summary>Receives the input of gate/up_proj, after the post-attention RMSNorm: <c>[B, T, d]</c>.</summary>
    void OnMlpInput(torch.Tensor input);

    /// <summary>Receives the input of down_proj, <c>h = silu(x W_g) ⊙ (x W_u)</c>: <c>[B, T, I]</c>.</summary>
    void OnIntermediate(torch.Tensor intermediate);
}
