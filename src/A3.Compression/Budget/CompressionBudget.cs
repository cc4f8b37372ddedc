using System.Globalization;
using A3.Recipes;
using A3.Runtime;

namespace A3.Compression.Budget;

/// <summary>Checks for a target budget: the fraction of decoder-linear parameters to remove.</summary>
public static class CompressionBudget
{
    /// <summary>Throws when <paramref name="budget"/> is outside <c>(0, 1)</c>.</summary>
    /// <param name="budget">The budget.</param>
    /// <exception cref="InvalidSettingException">The budget is outside <c>(0, 1)</c>.</exception>
    public static void Validate(double budget)
    {
        if (!(budget > 0 && budget < 1))
        {
            throw new InvalidSettingException(RecipeKeys.CompressionBudget, string.Create(CultureInfo.InvariantCulture, $"must be in (0, 1), got {budget}"));
        }
    }
}
