namespace A3.Generators.Models;

/// <summary>Everything the generated class of one valid recipe needs, as plain values.</summary>
/// <param name="RecipePath">The recipe path.</param>
/// <param name="RecipeFileName">The recipe's file name, for documentation (the full path would make output machine-dependent).</param>
/// <param name="RecipeName">The recipe's <c>name</c>.</param>
/// <param name="OutputPath">The model folder relative to the output directory, with forward slashes.</param>
/// <param name="ClassNameLocation">Where the class name comes from: the recipe's <c>name</c> value, or the file start for item metadata.</param>
/// <param name="Root">The class: its name and the recipe's values and sections.</param>
internal sealed record RecipeClassModel(string RecipePath, string RecipeFileName, string RecipeName, string OutputPath, LocationInfo ClassNameLocation, RecipeSection Root)
{
    /// <summary>Gets the generated class name.</summary>
    public string ClassName => Root.Name;
}
