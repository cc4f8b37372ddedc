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

    /// <summary>The source model's own dtype (its <c>torch_dtype</c>; float32 for a llama2.c checkpoint), so a bfloat16 model stays bfloat16 (<c>source</c>).</summary>
    Source,
}
