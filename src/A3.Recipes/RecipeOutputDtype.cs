namespace A3.Recipes;

/// <summary>The dtype of the saved weights.</summary>
public enum RecipeOutputDtype
{
    /// <summary>32-bit floats (<c>float32</c>).</summary>
    Float32,

    /// <summary>IEEE half precision (<c>float16</c>).</summary>
    Float16,

    /// <summary>bfloat16 (<c>bfloat16</c>).</summary>
    Bfloat16,
}
