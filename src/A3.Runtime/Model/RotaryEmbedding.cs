using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>
/// RoPE for one layer whose key/value heads may each keep a different subset of the original
/// frequency pairs (A3's QK pair selection). Kept pair <c>m</c> of a head occupies dims
/// <c>m</c> and <c>m + qk/2</c> (rotate_half layout) and turns by <c>position · θ_{pairs[j][m]}</c>.
/// </summary>
/// <remarks>
/// cos/sin are computed per forward for the positions in use, not precomputed as
/// <c>[H_kv, max_positions, qk/2]</c> tables: with per-head pair subsets such tables cannot be
/// shared across layers, and for long-context models (131072 positions × layers × heads) they
/// would cost gigabytes, while computing <c>[H_kv, T, qk/2]</c> angles is negligible beside the projections.
/// Angles are formed in float64 so that large positions keep their precision, then cast to the compute dtype.
/// </remarks>
internal sealed class RotaryEmbedding : IDisposable
{
    private readonly torch.Tensor inverseFrequencies;
    private readonly int halfDim;

    // An explicit alpha of 1 for the rotation's addition, created once and disposed with the
    // embedding: TorchSharp's Tensor + Tensor converts it internally and leaves it to the finalizer,
    // which can free it while the native add still reads it. The kernel is the same.
    private readonly Scalar one = 1.ToScalar();

    /// <summary>Initializes a new instance for <paramref name="shape"/>, gathering the original inverse frequencies by its kept pairs.</summary>
    public RotaryEmbedding(double[] originalInverseFrequencies, LayerShape shape, torch.Device device)
    {
        halfDim = shape.QkHeadDim / 2;
        var gathered = new double[shape.RopePairs.Count * halfDim];
        for (var head = 0; head < shape.RopePairs.Count; head++)
        {
            for (var m = 0; m < halfDim; m++)
            {
                gathered[(head * halfDim) + m] = originalInverseFrequencies[shape.RopePairs[head][m]];
            }
        }

        using var scope = torch.NewDisposeScope();
        inverseFrequencies = torch.tensor(gathered, [shape.RopePairs.Count, halfDim], torch.float64, device)
            .DetachFromDisposeScope();
    }

    /// <summary>Returns cos and sin of shape <c>[H_kv, length, qk/2]</c> for positions <c>start … start+length−1</c>.</summary>
    public (torch.Tensor Cos, torch.Tensor Sin) Angles(long start, long length, torch.ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var positions = Positions.Range(start, start + length, torch.float64, inverseFrequencies.device);
        var angles = positions.view(1, length, 1) * inverseFrequencies.unsqueeze(1);
        var cos = angles.cos().to(dtype).MoveToOuterDisposeScope();
        var sin = angles.sin().to(dtype).MoveToOuterDisposeScope();
        return (cos, sin);
    }

    /// <summary>Rotates the pairs of <paramref name="x"/> (last dim <c>qk</c>); cos/sin must broadcast to <c>[…, T, qk/2]</c>.</summary>
    public torch.Tensor Apply(torch.Tensor x, torch.Tensor cos, torch.Tensor sin)
    {
        using var scope = torch.NewDisposeScope();
        var first = x.narrow(-1, 0, halfDim);
        var second = x.narrow(-1, halfDim, halfDim);
        var rotated = torch.cat([(first * cos) - (second * sin), (second * cos).add(first * sin, one)], -1);
        return rotated.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        inverseFrequencies.Dispose();
        one.Dispose();
    }
}
