namespace A3.Runtime.Model;

/// <summary>
/// The four projections of one attention block; q/k/v carry their biases when the model has
/// attention biases. Owns the four <see cref="LinearWeight"/>s and disposes them in <see cref="Dispose"/>.
/// </summary>
/// <remarks>A class rather than a record: a <c>with</c> copy would give one projection two owners.</remarks>
internal sealed class AttentionWeights : IDisposable
{
    private bool disposed;

    /// <summary>Initializes a new instance that takes ownership of the four projections.</summary>
    /// <param name="query">q_proj, <c>[H·qk, d]</c>.</param>
    /// <param name="key">k_proj, <c>[H_kv·qk, d]</c>.</param>
    /// <param name="value">v_proj, <c>[H_kv·v, d]</c>.</param>
    /// <param name="output">o_proj, <c>[d, H·v]</c>.</param>
    public AttentionWeights(LinearWeight query, LinearWeight key, LinearWeight value, LinearWeight output)
    {
        Query = query;
        Key = key;
        Value = value;
        Output = output;
    }

    /// <summary>Gets q_proj, <c>[H·qk, d]</c>.</summary>
    public LinearWeight Query { get; }

    /// <summary>Gets k_proj, <c>[H_kv·qk, d]</c>.</summary>
    public LinearWeight Key { get; }

    /// <summary>Gets v_proj, <c>[H_kv·v, d]</c>.</summary>
    public LinearWeight Value { get; }

    /// <summary>Gets o_proj, <c>[d, H·v]</c>.</summary>
    public LinearWeight Output { get; }

    /// <summary>Disposes the four projections; later calls do nothing.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Query.Dispose();
        Key.Dispose();
        Value.Dispose();
        Output.Dispose();
    }
}
