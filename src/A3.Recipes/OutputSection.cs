using System.ComponentModel;

namespace A3.Recipes;

/// <summary>What a recipe writes.</summary>
[Description("What is written.")]
public sealed class OutputSection
{
    /// <summary>The default <see cref="Dtype"/>.</summary>
    public const RecipeOutputDtype DefaultDtype = RecipeOutputDtype.Source;

    /// <summary>Gets or sets the dtype of the saved weights.</summary>
    [Description("Dtype of the saved weights: source (the model's own), float32, float16 or bfloat16.")]
    public RecipeOutputDtype Dtype { get; set; } = DefaultDtype;
}
