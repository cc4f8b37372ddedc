using System.Text.Json.Nodes;
using A3.Runtime.Model;
using A3.Runtime.Tests.IO;
using A3.Tests;

namespace A3.Runtime.Tests.Model;

/// <summary><see cref="ModelCheckpoint.Open"/> refuses a tokenizer that does not fit the model's vocab_size, before any weight is read.</summary>
public sealed class TokenizerVocabularyCheckTests
{
    [SkippableTheory]
    [InlineData(32000)]
    [InlineData(256)]
    public void A_tokenizer_of_another_size_is_rejected_naming_both_files_and_sizes(int vocabSize)
    {
        using var folder = FixtureWithVocabSize(vocabSize);

        var error = Assert.Throws<A3InputException>(() => ModelCheckpoint.Open(folder.Path));

        Assert.Equal(A3ErrorCodes.InvalidTokenizer, error.Code);
        Assert.Equal(folder.File("tokenizer.model"), error.FilePath);
        Assert.Contains("has 512 ids", error.Message, StringComparison.Ordinal);
        Assert.Contains($"vocab_size {vocabSize}", error.Message, StringComparison.Ordinal);
        Assert.Contains(folder.File("config.json"), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [SkippableFact]
    public void Padding_rows_past_the_tokenizer_are_accepted()
    {
        // As Qwen3 ships 151,669 ids beside a vocab_size of 151,936.
        using var folder = FixtureWithVocabSize(576);

        using var checkpoint = ModelCheckpoint.Open(folder.Path);

        Assert.Equal(512, checkpoint.Tokenizer.VocabSize);
        Assert.Equal(576, checkpoint.Config.VocabSize);
    }

    private static TempFolder FixtureWithVocabSize(int vocabSize)
    {
        var source = Fixtures.Require(Stories260KVariants.HfFixture);
        var folder = new TempFolder();
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "config.json")))!;
        config["vocab_size"] = vocabSize;
        File.WriteAllText(folder.File("config.json"), config.ToJsonString());
        foreach (var file in new[] { "tokenizer.model", "model.safetensors" })
        {
            File.Copy(Path.Combine(source, file), folder.File(file));
        }

        return folder;
    }
}
