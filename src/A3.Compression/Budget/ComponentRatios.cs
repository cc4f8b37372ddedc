using A3.Runtime;

namespace A3.Compression.Budget;

/// <summary>Fractions of each component's inner dimension to remove, each in <c>[0, 1)</c>.</summary>
/// <param name="Qk">Query/key head dimension (removed in RoPE pairs).</param>
/// <param name="Ov">Value/output head dimension.</param>
/// <param name="Mlp">MLP intermediate size.</param>
public sealed record ComponentRatios(double Qk, double Ov, double Mlp)
{
    /// <summary>Throws when a ratio lies outside <c>[0, 1)</c>.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new[] { ("qk", Qk), ("ov", Ov), ("mlp", Mlp) })
        {
            if (!(value >= 0 && value < 1))
            {
                throw new A3InputException(A3ErrorCodes.InvalidOption, $"the {name} ratio must be in [0, 1), got {value}");
            }
        }
    }
}
