using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>Root-mean-square layer norm, computed in float32 whatever the model dtype, as Hugging Face Llama does.</summary>
internal sealed class RmsNorm : IDisposable
{
    private readonly torch.Tensor weight;

    // Explicit Scalars, created once and disposed with the norm: TorchSharp's implicit conversions
    // (a double argument, add's default alpha 1, square()'s exponent 2) leave them to the finalizer,
    // which can free one while the native call still reads it. pow(2) and add(ε, 1) are the very
    // calls square() and add(ε) make.
    private readonly Scalar epsilon;
    private readonly Scalar one = 1.ToScalar();
    private readonly Scalar two = 2.ToScalar();

    /// <summary>Initializes a new instance that owns <paramref name="weight"/>.</summary>
    public RmsNorm(torch.Tensor weight, double eps)
    {
        this.weight = weight;
        epsilon = eps.ToScalar();
    }

    /// <summary>Normalises the last dimension of <paramref name="x"/>; the result has the dtype of <paramref name="x"/>.</summary>
    public torch.Tensor Forward(torch.Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var wide = x.to(torch.float32);
        var meanSquare = wide.pow(two).mean([-1L], keepdim: true);
        var normalised = (wide * meanSquare.add(epsilon, one).rsqrt()).to(x.dtype);
        return (weight * normalised).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        weight.Dispose();
        epsilon.Dispose();
        one.Dispose();
        two.Dispose();
    }
}
