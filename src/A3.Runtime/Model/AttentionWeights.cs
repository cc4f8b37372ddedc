namespace A3.Runtime.Model;

/// <summary>The four projections of one attention block; q/k/v carry their biases when the model has attention biases.</summary>
/// <param name="Query">q_proj, <c>[H·qk, d]</c>.</param>
/// <param name="Key">k_proj, <c>[H_kv·qk, d]</c>.</param>
/// <param name="Value">v_proj, <c>[H_kv·v, d]</c>.</param>
/// <param name="Output">o_proj, <c>[d, H·v]</c>.</param>
internal sealed record AttentionWeights(LinearWeight Query, LinearWeight Key, LinearWeight Value, LinearWeight Output) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Query.Dispose();
        Key.Dispose();
        Value.Dispose();
        Output.Dispose();
    }
}
