using System.Globalization;
using A3.Recipes;
using A3.Runtime;

namespace A3.Compression.Budget;

/// <summary>Fractions of each component's inner dimension to remove, each in <c>[0, 1)</c>.</summary>
/// <param name="Qk">Query/key head dimension (removed in RoPE pairs).</param>
/// <param name="Ov">Value/output head dimension.</param>
/// <param name="Mlp">MLP intermediate size.</param>
public sealed record ComponentRatios(double Qk, double Ov, double Mlp)
{
    /// <summary>Throws when a ratio lies outside <c>[0, 1)</c>.</summary>
    /// <exception cref="InvalidSettingException">A ratio lies outside <c>[0, 1)</c>; the exception names it.</exception>
    public void Validate()
    {
        foreach (var (setting, value) in new[] { (RecipeKeys.CompressionQk, Qk), (RecipeKeys.CompressionOv, Ov), (RecipeKeys.CompressionMlp, Mlp) })
        {
            if (!(value >= 0 && value < 1))
            {
                throw new InvalidSettingException(setting, string.Create(CultureInfo.InvariantCulture, $"must be in [0, 1), got {value}"));
            }
        }
    }
}
