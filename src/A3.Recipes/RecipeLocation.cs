namespace A3.Recipes;

/// <summary>Where a value is written in a recipe file.</summary>
internal readonly struct RecipeLocation
{
    /// <summary>Initializes a new instance of the <see cref="RecipeLocation"/> struct.</summary>
    public RecipeLocation(int line, int column)
    {
        Line = line;
        Column = column;
    }

    /// <summary>Gets the 1-based line.</summary>
    public int Line { get; }

    /// <summary>Gets the 1-based column.</summary>
    public int Column { get; }
}
