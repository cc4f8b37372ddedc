using A3.Runtime.Benchmarks;
using A3.Runtime.IO;
using A3.Tests;
using A3.Tokenizers;

namespace A3.Runtime.Tests.Benchmarks;

/// <summary>The presets against the files they stand for: each tokenizer's ids fit the preset's vocabulary.</summary>
public sealed class SyntheticModelPresetTests
{
    [SkippableTheory]
    [InlineData("llama-3-8b", true)]
    [InlineData("llama-2-7b", true)]
    [InlineData("qwen2.5-7b", false)]
    [InlineData("stories260k", true)]
    public void Tokenizer_ids_fit_the_vocabulary(string name, bool sameSize)
    {
        var preset = SyntheticModelPresets.Find(name)!;
        var tokenizer = TokenizerLoader.Load(Fixtures.Require(preset.TokenizerFixture));

        // Qwen repositories pad the embedding past the tokenizer (151,669 ids in 152,064 rows); the others match exactly.
        Assert.InRange(tokenizer.VocabSize, 1, preset.VocabSize);
        Assert.Equal(sameSize, tokenizer.VocabSize == preset.VocabSize);
        Assert.InRange(preset.EosTokenId!.Value, 0, tokenizer.VocabSize - 1);
    }

    [SkippableFact]
    public void Stories260k_preset_is_the_fixture_models_config()
    {
        var fixture = HuggingFaceConfigReader.Read(Fixtures.Require("hf/stories260K-llama/config.json"));
        var preset = SyntheticModelPresets.Stories260K.ToConfig(fixture.NumLayers);

        Assert.Equal(
            (fixture.Architecture, fixture.HiddenSize, fixture.IntermediateSize, fixture.NumAttentionHeads, fixture.NumKeyValueHeads, fixture.OriginalHeadDim, fixture.VocabSize),
            (preset.Architecture, preset.HiddenSize, preset.IntermediateSize, preset.NumAttentionHeads, preset.NumKeyValueHeads, preset.OriginalHeadDim, preset.VocabSize));
        Assert.Equal(
            (fixture.MaxPositionEmbeddings, fixture.RmsNormEps, fixture.RopeTheta, fixture.TieWordEmbeddings, fixture.BosTokenId, fixture.EosTokenId, fixture.AttentionScale),
            (preset.MaxPositionEmbeddings, preset.RmsNormEps, preset.RopeTheta, preset.TieWordEmbeddings, preset.BosTokenId, preset.EosTokenId, preset.AttentionScale));
    }

    [Fact]
    public void Presets_are_found_by_name_whatever_the_case()
    {
        Assert.Same(SyntheticModelPresets.Llama3_8B, SyntheticModelPresets.Find("LLAMA-3-8B"));
        Assert.Null(SyntheticModelPresets.Find("llama-4"));
        Assert.Equal(SyntheticModelPresets.All.Count, SyntheticModelPresets.All.Select(preset => preset.Name).Distinct().Count());
    }
}
