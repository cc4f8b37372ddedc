using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>The two RMSNorm weights of one decoder layer, which compression keeps unchanged. Owns its tensors.</summary>
/// <param name="Input"><c>input_layernorm.weight</c>, <c>[d]</c>.</param>
/// <param name="PostAttention"><c>post_attention_layernorm.weight</c>, <c>[d]</c>.</param>
public sealed record LayerNormWeights(torch.Tensor Input, torch.Tensor PostAttention) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Input.Dispose();
        PostAttention.Dispose();
    }
}
