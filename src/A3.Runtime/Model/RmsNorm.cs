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

        // An explicit, disposed Scalar: TorchSharp's implicit double→Scalar conversions are freed by
        // the finalizer, which can run while the native call still reads them.
        using var epsilon = eps.ToScalar();
        var wide = x.to(torch.float32);
        var meanSquare = wide.square().mean([-1L], keepdim: true);
        var normalised = (wide * meanSquare.add(epsilon).rsqrt()).to(x.dtype);
        return (weight * normalised).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose() => weight.Dispose();
}
