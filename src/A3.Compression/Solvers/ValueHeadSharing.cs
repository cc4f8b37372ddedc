namespace A3.Compression.Solvers;

/// <summary>How the compressed value projection is shared among the query heads of a GQA group.</summary>
public enum ValueHeadSharing
{
    /// <summary>
    /// One compressed value head per key/value head, shared by its query heads (the KV cache
    /// layout is unchanged, only smaller); each query head's output projection is refit.
    /// </summary>
    Shared,

    /// <summary>
    /// "Fused OV": every query head gets its own value head fitted to its own statistics. Lower
    /// error, but the V cache then holds <c>H</c> heads instead of <c>Hkv</c>, multiplying it by
    /// the group size <c>g = H/Hkv</c>.
    /// </summary>
    FusedPerQueryHead,
}
