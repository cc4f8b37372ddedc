namespace A3.Recipes;

/// <summary>The dtype layers run in while compressing.</summary>
public enum RecipeComputeDtype
{
    /// <summary>32-bit floats (<c>float32</c>).</summary>
    Float32,

    /// <summary>bfloat16 (<c>bfloat16</c>).</summary>
    Bfloat16,
}
