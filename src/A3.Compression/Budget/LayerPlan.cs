namespace A3.Compression.Budget;

/// <summary>The sizes one layer keeps.</summary>
/// <param name="KeptPairs">RoPE pairs kept per head (query/key head dim = 2 × this).</param>
/// <param name="VHeadDim">Value head dimension kept.</param>
/// <param name="IntermediateSize">MLP neurons kept.</param>
public sealed record LayerPlan(int KeptPairs, int VHeadDim, int IntermediateSize)
{
    /// <summary>Gets the kept size of <paramref name="component"/> in its own unit (pairs, dims, neurons).</summary>
    public int Kept(A3Component component) => component switch
    {
        A3Component.Qk => KeptPairs,
        A3Component.Ov => VHeadDim,
        _ => IntermediateSize,
    };

    /// <summary>Returns a copy with <paramref name="component"/> set to <paramref name="kept"/>.</summary>
    public LayerPlan With(A3Component component, int kept) => component switch
    {
        A3Component.Qk => this with { KeptPairs = kept },
        A3Component.Ov => this with { VHeadDim = kept },
        _ => this with { IntermediateSize = kept },
    };
}
