using System.Collections.Generic;
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

    /// <summary>
    /// Gets or sets the forms the build ships in <c>bin/</c> and the publish folder, each at most once. The artifact (and
    /// <c>a3 compress --out</c>) always holds the safetensors model the others are made from, and the ONNX graph in its
    /// <c>onnx</c> subfolder when <see cref="RecipeOutputFormat.Onnx"/> is listed.
    /// </summary>
    [Description("Forms the build ships in bin/ and publish/: safetensors (the model folder A3.Runtime loads) and onnx (the ONNX Runtime graph in the artifact's onnx/ subfolder). Default: [safetensors].")]
    public IList<RecipeOutputFormat> Formats { get; set; } = new List<RecipeOutputFormat> { RecipeOutputFormat.Safetensors };
}
