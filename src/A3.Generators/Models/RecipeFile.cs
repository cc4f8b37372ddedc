namespace A3.Generators.Models;

/// <summary>An <c>A3Compress</c> recipe as the compiler sees it: its path, its text and the item's metadata.</summary>
/// <param name="Path">The additional file's path, as diagnostics should name it.</param>
/// <param name="Text">The recipe text, or <see langword="null"/> when the compiler could not read the file.</param>
/// <param name="ClassName">The item's <c>ClassName</c> metadata; empty to derive it from the recipe name.</param>
/// <param name="OutputPath">The item's <c>OutputPath</c> metadata; empty for the recipe's default.</param>
internal sealed record RecipeFile(string Path, string? Text, string ClassName, string OutputPath);
