using A3.Recipes;
using A3.Runtime;
using A3.Runtime.Model;

namespace A3.Compression.Budget;

/// <summary>The rounding step of each component, in that component's own unit.</summary>
/// <param name="Pairs">Step of kept RoPE pairs (a query/key dim multiple of round_to is half as many pairs).</param>
/// <param name="HeadDim">Step of the value head dimension.</param>
/// <param name="Intermediate">Step of the MLP intermediate size.</param>
internal sealed record Steps(int Pairs, int HeadDim, int Intermediate)
{
    /// <summary>Derives the steps for <paramref name="roundTo"/>, capped so that a component can always be kept whole.</summary>
    public static Steps Of(ModelConfig config, int roundTo)
    {
        ValidateRoundTo(roundTo);
        return new Steps(
            Math.Clamp(roundTo / 2, 1, config.OriginalHeadDim / 2),
            Math.Min(roundTo, config.OriginalHeadDim),
            Math.Min(roundTo, config.IntermediateSize));
    }

    /// <summary>Throws when <paramref name="roundTo"/> is below 1.</summary>
    public static void ValidateRoundTo(int roundTo)
    {
        if (roundTo < 1)
        {
            throw new InvalidSettingException(RecipeKeys.CompressionRoundTo, $"must be 1 or more, got {roundTo}");
        }
    }

    /// <summary>Gets the step of <paramref name="component"/>.</summary>
    public int For(A3Component component) => component switch
    {
        A3Component.Qk => Pairs,
        A3Component.Ov => HeadDim,
        _ => Intermediate,
    };
}
