using System.Text.Json;
using A3.Evaluation;
using A3.Runtime.Evaluation;
using A3.Runtime.Model;
using A3.Tests;
using TorchSharp;

namespace A3.Runtime.Tests.Model;

/// <summary>
/// The acceptance checks of the model runtime against the numpy float64 reference made from the
/// llama2.c checkpoint: token ids, raw logits and perplexity, through the same loading path the
/// CLI uses, for both the Hugging Face folder and the llama2.c file.
/// </summary>
public sealed class Stories260KReferenceTests
{
    public static TheoryData<string> Models => new() { "hf/stories260K-llama", "llama2c/stories260K/stories260K.bin" };

    private static JsonElement Reference()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Fixtures.Require("reference/stories260K_tinystories_reference.json")));
        return document.RootElement.Clone();
    }

    private static IReadOnlyList<string> Stories() =>
        DocumentSplitter.Split(File.ReadAllText(Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt")), "<|endoftext|>");

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Tokenizer_reproduces_the_reference_ids(string model)
    {
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require(model));
        var stories = Stories();

        foreach (var story in Reference().GetProperty("stories").EnumerateArray())
        {
            var expected = story.GetProperty("ids").EnumerateArray().Select(id => id.GetInt32()).ToArray();
            int[] actual = [1, .. checkpoint.Tokenizer.Encode(stories[story.GetProperty("index").GetInt32()])];
            Assert.Equal(expected, actual.Take(expected.Length));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void First_32_logits_of_story_0_match_the_reference_within_1e_4(string model)
    {
        var ids = Reference().GetProperty("stories")[0].GetProperty("ids").EnumerateArray().Take(32).Select(id => id.GetInt64()).ToArray();
        var bytes = File.ReadAllBytes(Fixtures.Require("reference/stories260K_story0_first32_logits.f32"));
        var expected = new float[32 * 512];
        Buffer.BlockCopy(bytes, 0, expected, 0, bytes.Length);
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require(model));
        using var decoder = checkpoint.CreateModel(torch.CPU, torch.float32);
        using var scope = torch.NewDisposeScope();

        var logits = decoder.Forward(torch.tensor(ids, [1, 32])).reshape(32 * 512).data<float>().ToArray();

        var maxAbs = expected.Zip(logits).Max(pair => Math.Abs(pair.First - pair.Second));
        Assert.True(maxAbs < 1e-4, $"max |Δlogit| = {maxAbs}");
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Perplexity_of_the_first_100_stories_matches_the_reference(string model)
    {
        var reference = Reference().GetProperty("first100");
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require(model));
        using var decoder = checkpoint.CreateModel(torch.CPU, torch.float32);
        var text = File.ReadAllText(Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt"));
        var sequences = EvaluationSequences.Build(text, checkpoint.Tokenizer, decoder.MaxSequenceLength, new EvaluationOptions { MaxDocuments = 100 }, "TinyStories");

        var result = PerplexityEvaluator.Evaluate(decoder, sequences);

        Assert.Equal(reference.GetProperty("n_predicted_tokens").GetInt64(), result.Tokens);
        Assert.Equal(reference.GetProperty("mean_nll").GetDouble(), result.MeanNll, 1e-5);
        Assert.Equal(reference.GetProperty("ppl").GetDouble(), result.Perplexity, 2e-4);
    }
}
