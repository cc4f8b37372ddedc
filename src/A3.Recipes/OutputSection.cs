using System.ComponentModel;

namespace A3.Recipes;

/// <summary>What a recipe writes.</summary>
[Description("What is written.")]
public sealed class OutputSection
{
    /// <summary>Gets or sets the dtype of the saved weights.</summary>
    [Description("Dtype of the saved weights: float32, float16 or bfloat16.")]
    public RecipeOutputDtype Dtype { get; set; } = RecipeOutputDtype.Float32;
}
