namespace A3.Recipes.Tests;

/// <summary><c>output.formats</c>: the forms the build ships, read as a list of names with each mistake located.</summary>
public sealed class OutputFormatsTests : IDisposable
{
    private readonly TempRecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Without_the_key_the_build_ships_safetensors()
    {
        var result = folder.Parse(TempRecipeFolder.Valid);

        Assert.Empty(result.Diagnostics);
        Assert.Equal([RecipeOutputFormat.Safetensors], result.Recipe!.Output.Formats);
    }

    [Fact]
    public void Both_formats_are_read_in_the_order_written_and_normalized_in_one_order()
    {
        var written = folder.Parse(TempRecipeFolder.Valid + "\noutput:\n  formats: [onnx, safetensors]");
        var reversed = folder.Parse(TempRecipeFolder.Valid + "\noutput:\n  formats:\n    - safetensors\n    - onnx");

        Assert.Empty(written.Diagnostics);
        Assert.Equal([RecipeOutputFormat.Onnx, RecipeOutputFormat.Safetensors], written.Recipe!.Output.Formats);
        Assert.Equal(RecipeNormalizer.Canonicalize(written.Recipe), RecipeNormalizer.Canonicalize(reversed.Recipe!));
        Assert.NotEqual(RecipeNormalizer.Canonicalize(written.Recipe), RecipeNormalizer.Canonicalize(folder.Parse(TempRecipeFolder.Valid).Recipe!));
    }

    [Fact]
    public void An_unknown_format_is_reported_at_its_own_line()
    {
        var text = TempRecipeFolder.Valid + "\noutput:\n  formats:\n    - safetensors\n    - gguf";

        var diagnostic = Assert.Single(folder.Parse(text).Diagnostics);

        Assert.Equal(RecipeErrorCodes.InvalidValue, diagnostic.Code);
        Assert.Equal(text.Split('\n').ToList().FindIndex(line => line.Contains("gguf", StringComparison.Ordinal)) + 1, diagnostic.Line);
        Assert.Equal("unknown output.formats 'gguf'; allowed: safetensors, onnx", diagnostic.Message);
    }

    [Theory]
    [InlineData("[]", "'output.formats' lists no format; list at least one of safetensors, onnx")]
    [InlineData("[onnx, onnx]", "'output.formats' lists onnx 2 times; list each format once")]
    public void An_empty_or_repeating_list_is_refused(string formats, string message)
    {
        var diagnostic = Assert.Single(folder.Parse(TempRecipeFolder.Valid + $"\noutput:\n  formats: {formats}").Diagnostics);

        Assert.Equal((RecipeErrorCodes.InvalidValue, RecipeKeys.OutputFormats, message), (diagnostic.Code, diagnostic.Key, diagnostic.Message));
    }

    [Fact]
    public void A_scalar_instead_of_a_list_is_a_type_error()
    {
        var diagnostic = Assert.Single(folder.Parse(TempRecipeFolder.Valid + "\noutput:\n  formats: onnx").Diagnostics);

        Assert.Equal(RecipeErrorCodes.WrongType, diagnostic.Code);
    }
}
