namespace A3.Compression.Budget;

/// <summary>Turns a removal ratio into a kept size on a grid of multiples.</summary>
internal static class RoundingGrid
{
    /// <summary>
    /// Returns the size to keep of <paramref name="total"/> units after removing
    /// <paramref name="ratio"/> of them, rounded to the nearest multiple of <paramref name="step"/>
    /// (the full size always allowed), and never below one step (a component never vanishes).
    /// </summary>
    public static int Keep(int total, double ratio, int step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        if (ratio <= 0)
        {
            return total;
        }

        double exact = (1 - ratio) * total;
        int rounded = (int)Math.Round(exact / step, MidpointRounding.AwayFromZero) * step;
        return Math.Clamp(rounded, Math.Min(step, total), total);
    }

    /// <summary>Returns the next smaller kept size on the grid, or <see langword="null"/> at the minimum.</summary>
    public static int? Smaller(int kept, int total, int step)
    {
        int minimum = Math.Min(step, total);
        if (kept <= minimum)
        {
            return null;
        }

        // From the full size (possibly off-grid), step down to the largest multiple below it.
        int next = kept % step == 0 ? kept - step : kept - (kept % step);
        return Math.Max(next, minimum);
    }
}
