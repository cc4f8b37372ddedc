using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>
/// The two RMSNorm weights of one decoder layer, which compression keeps unchanged. Owns
/// <see cref="Input"/> and <see cref="PostAttention"/> and disposes them in <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// A class rather than a record: an owner of native tensors has identity, not value equality, and
/// a <c>with</c> copy would give one tensor two owners.
/// </remarks>
internal sealed class LayerNormWeights : IDisposable
{
    private bool disposed;

    /// <summary>Initializes a new instance that takes ownership of both tensors.</summary>
    /// <param name="input"><c>input_layernorm.weight</c>, <c>[d]</c>.</param>
    /// <param name="postAttention"><c>post_attention_layernorm.weight</c>, <c>[d]</c>.</param>
    public LayerNormWeights(torch.Tensor input, torch.Tensor postAttention)
    {
        Input = input;
        PostAttention = postAttention;
    }

    /// <summary>Gets <c>input_layernorm.weight</c>, <c>[d]</c>.</summary>
    public torch.Tensor Input { get; }

    /// <summary>Gets <c>post_attention_layernorm.weight</c>, <c>[d]</c>.</summary>
    public torch.Tensor PostAttention { get; }

    /// <summary>Disposes both tensors; later calls do nothing.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Input.Dispose();
        PostAttention.Dispose();
    }
}
