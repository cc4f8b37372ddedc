namespace A3.Recipes.Tests;

public sealed class RecipeNormalizerTests : IDisposable
{
    private readonly TempRecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void CommentsKeyOrderPathSpellingAndExplicitDefaultsDoNotChangeTheCanonicalForm()
    {
        const string reordered = """
            # the same recipe, written differently
            compression:
              sequential: true   # the default
              budget: 0.20
              method: a3
            calibration:
              take: 500
              data: ./../data/../data/train.txt
              samples: 128
            model: ../models/./tiny/
            name: 'tiny'
            version: 1
            device: auto
            """;

        Assert.Equal(Canonical(TempRecipeFolder.Valid), Canonical(reordered));
    }

    [Fact]
    public void AnotherModelFolderWithTheSameValuesGivesTheSameCanonicalForm()
    {
        Directory.CreateDirectory(Path.Combine(folder.Root, "models", "copy"));

        Assert.Equal(Canonical(TempRecipeFolder.Valid), Canonical(TempRecipeFolder.Valid.Replace("models/tiny", "models/copy")));
    }

    [Theory]
    [InlineData("  budget: 0.2", "  budget: 0.25")]
    [InlineData("  take: 500", "  take: 501")]
    [InlineData("  budget: 0.2", "  budget: 0.2\n  allocation: greedy")]
    [InlineData("name: tiny", "name: small")]
    public void ChangingAValueChangesTheCanonicalForm(string from, string to)
    {
        Assert.NotEqual(Canonical(TempRecipeFolder.Valid), Canonical(TempRecipeFolder.Valid.Replace(from, to)));
    }

    [Fact]
    public void ChangingARatioChangesTheCanonicalFormAndUnsetRatiosAreZero()
    {
        var ratios = TempRecipeFolder.Valid.Replace("  budget: 0.2", "  qk: 0.1\n  mlp: 0.3");

        Assert.Equal(Canonical(ratios), Canonical(ratios.Replace("  mlp: 0.3", "  mlp: 0.3\n  ov: 0")));
        Assert.NotEqual(Canonical(ratios), Canonical(ratios.Replace("qk: 0.1", "qk: 0.15")));
    }

    [Fact]
    public void CanonicalFormIsSortedJsonWithoutPaths()
    {
        var canonical = Canonical(TempRecipeFolder.Valid);

        Assert.StartsWith("{\"calibration\":{\"format\":\"documents\",\"samples\":128,", canonical);
        Assert.Contains("\"compression\":{\"allocation\":\"search\",\"budget\":0.2,", canonical);
        Assert.DoesNotContain("tiny\"", canonical.Replace("\"name\":\"tiny\"", string.Empty));
        Assert.DoesNotContain("train.txt", canonical);
        using var document = System.Text.Json.JsonDocument.Parse(canonical);
        Assert.Equal(1, document.RootElement.GetProperty("version").GetInt32());
    }

    private string Canonical(string yaml)
    {
        var result = folder.Parse(yaml);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return RecipeNormalizer.Canonicalize(result.Recipe!);
    }
}
