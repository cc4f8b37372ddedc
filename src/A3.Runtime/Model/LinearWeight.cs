using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>
/// The weight of one linear projection (<c>[out, in]</c> layout), either dense <c>W</c> or factorised
/// <c>W ≈ B·A</c> with <c>A [rank, in]</c> and <c>B [out, rank]</c>, plus an optional bias.
/// </summary>
/// <remarks>
/// A factorised weight is applied as <c>linear(linear(x, A), B)</c> and never multiplied out: the
/// point of the factorisation is that <c>rank·(in+out)</c> is smaller than <c>out·in</c>, in memory
/// and in FLOPs.
/// </remarks>
internal sealed class LinearWeight : IDisposable
{
    private readonly torch.Tensor? dense;
    private readonly torch.Tensor? a;
    private readonly torch.Tensor? b;
    private readonly torch.Tensor? bias;

    private LinearWeight(torch.Tensor? dense, torch.Tensor? a, torch.Tensor? b, torch.Tensor? bias)
    {
        this.dense = dense;
        this.a = a;
        this.b = b;
        this.bias = bias;
    }

    /// <summary>Gets a value indicating whether the weight is stored as two factors.</summary>
    public bool IsFactorized => dense is null;

    /// <summary>Creates a dense projection that owns <paramref name="weight"/> (<c>[out, in]</c>) and <paramref name="bias"/>.</summary>
    public static LinearWeight Dense(torch.Tensor weight, torch.Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        return new LinearWeight(weight, null, null, bias);
    }

    /// <summary>Creates a factorised projection <c>B·A</c> that owns <paramref name="a"/> (<c>[rank, in]</c>), <paramref name="b"/> (<c>[out, rank]</c>) and <paramref name="bias"/>.</summary>
    /// <exception cref="ArgumentException">The factor shapes do not chain.</exception>
    public static LinearWeight Factorized(torch.Tensor a, torch.Tensor b, torch.Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.dim() != 2 || b.dim() != 2 || a.shape[0] != b.shape[1])
        {
            throw new ArgumentException(
                $"factors A [{string.Join(", ", a.shape)}] and B [{string.Join(", ", b.shape)}] must be matrices with A's rows equal to B's columns.");
        }

        return new LinearWeight(null, a, b, bias);
    }

    /// <summary>Applies the projection to <paramref name="x"/> (<c>[…, in]</c>), giving <c>[…, out]</c>.</summary>
    public torch.Tensor Forward(torch.Tensor x)
    {
        if (dense is not null)
        {
            return torch.nn.functional.linear(x, dense, bias);
        }

        using var inner = torch.nn.functional.linear(x, a!);
        return torch.nn.functional.linear(inner, b!, bias);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        dense?.Dispose();
        a?.Dispose();
        b?.Dispose();
        bias?.Dispose();
    }
}
