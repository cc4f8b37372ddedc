namespace A3.Recipes.Tests;

/// <summary>Everything a recipe's compression reads, by role: what the cache key hashes and the build watches.</summary>
public sealed class RecipeInputsTests : IDisposable
{
    private readonly TempRecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_folder_model_gives_the_recipe_each_model_file_then_the_data()
    {
        WriteFile("models/tiny/config.json");
        WriteFile("models/tiny/model.safetensors");
        WriteFile("models/tiny/tokenizer/tokenizer.model");
        WriteFile("data/eval.txt");
        var recipe = Parse(TempRecipeFolder.Valid + "\nevaluation:\n  data: ../data/eval.txt\n");

        var inputs = recipe.GetInputs();

        Assert.Equal(
            ["recipe", "model/config.json", "model/model.safetensors", "model/tokenizer/tokenizer.model", "calibration", "evaluation"],
            inputs.Select(input => input.Role));
        Assert.Equal(
            [folder.RecipePath, Path.Combine(folder.Root, "models", "tiny", "config.json"), Path.Combine(folder.Root, "models", "tiny", "model.safetensors"),
             Path.Combine(folder.Root, "models", "tiny", "tokenizer", "tokenizer.model"), Path.Combine(folder.Root, "data", "train.txt"), Path.Combine(folder.Root, "data", "eval.txt")],
            inputs.Select(input => input.Path));
        Assert.Equal([false, true, true, true, false, false], inputs.Select(input => input.IsModelFile));
    }

    [Fact]
    public void A_llama2c_model_includes_the_tokenizers_beside_the_bin()
    {
        WriteFile("llama2c/stories.bin");
        WriteFile("llama2c/tok512.model");
        WriteFile("llama2c/tok512.bin");
        WriteFile("llama2c/readme.txt");
        var recipe = Parse(TempRecipeFolder.Valid.Replace("model: ../models/tiny", "model: ../llama2c/stories.bin", StringComparison.Ordinal));

        var inputs = recipe.GetInputs();

        Assert.Equal(["recipe", "model/stories.bin", "model/tok512.bin", "model/tok512.model", "calibration"], inputs.Select(input => input.Role));
        Assert.Equal(Path.Combine(folder.Root, "llama2c", "tok512.model"), inputs[3].Path);
    }

    private Recipe Parse(string yaml)
    {
        File.WriteAllText(folder.RecipePath, yaml);
        var result = RecipeLoader.Load(folder.RecipePath);
        Assert.Empty(result.Diagnostics);
        return result.Recipe!;
    }

    private void WriteFile(string relativePath)
    {
        var path = Path.Combine(folder.Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, relativePath);
    }
}
