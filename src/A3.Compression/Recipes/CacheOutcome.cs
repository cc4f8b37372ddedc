namespace A3.Compression.Recipes;

/// <summary>How a recipe run used the artifact cache.</summary>
public enum CacheOutcome
{
    /// <summary>The run had no artifact cache.</summary>
    NotUsed,

    /// <summary>The cache held the artifact; nothing was compressed.</summary>
    Hit,

    /// <summary>The cache did not hold the artifact; the run compressed it and stored it.</summary>
    Miss,
}
