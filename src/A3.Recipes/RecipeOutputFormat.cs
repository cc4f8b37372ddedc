namespace A3.Recipes;

/// <summary>A form in which the build ships a recipe's model (<c>output.formats</c>).</summary>
public enum RecipeOutputFormat
{
    /// <summary>The Hugging Face safetensors folder of <c>docs/FORMAT.md</c>, which A3.Runtime loads (<c>safetensors</c>).</summary>
    Safetensors,

    /// <summary>The ONNX graph of <c>docs/ONNX.md</c>, for ONNX Runtime, in the artifact's <c>onnx</c> subfolder (<c>onnx</c>).</summary>
    Onnx,
}
