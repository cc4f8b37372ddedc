using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>One pre-norm decoder layer: <c>x + attn(norm(x))</c>, then <c>x + mlp(norm(x))</c>.</summary>
internal sealed class DecoderLayer : IDisposable
{
    private readonly RmsNorm inputNorm;
    private readonly Attention attention;
    private readonly RmsNorm postAttentionNorm;
    private readonly Mlp mlp;

    /// <summary>Initializes a new instance that owns its parts.</summary>
    public DecoderLayer(RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, Mlp mlp)
    {
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.mlp = mlp;
    }

    /// <summary>Applies the layer to the residual stream <paramref name="x"/> (<c>[B, T, d]</c>) at positions starting at <paramref name="start"/>.</summary>
    public torch.Tensor Forward(torch.Tensor x, long start, LayerCache? cache)
    {
        using var scope = torch.NewDisposeScope();
        var afterAttention = x + attention.Forward(inputNorm.Forward(x), start, cache);
        var output = afterAttention + mlp.Forward(postAttentionNorm.Forward(afterAttention));
        return output.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        inputNorm.Dispose();
        attention.Dispose();
        postAttentionNorm.Dispose();
        mlp.Dispose();
    }
}
