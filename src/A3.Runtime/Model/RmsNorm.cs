using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>Root-mean-square layer norm, computed in float32 whatever the model dtype, as Hugging Face Llama does.</summary>
internal sealed class RmsNorm : IDisposable
{
    private readonly torch.Tensor weight;
    private readonly double eps;

    /// <summary>Initializes a new instance that owns <paramref name="weight"/>.</summary>
    public RmsNorm(torch.Tensor weight, double eps)
    {
        this.weight = weight;
        this.eps = eps;
    }

    /// <summary>Normalises the last dimension of <paramref name="x"/>; the result has the dtype of <paramref name="x"/>.</summary>
    public torch.Tensor Forward(torch.Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var wide = x.to(torch.float32);
        var meanSquare = wide.pow(2).mean([-1L], keepdim: true);
        var normalised = (wide * (meanSquare + eps).rsqrt()).to(x.dtype);
        return (weight * normalised).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose() => weight.Dispose();
}
