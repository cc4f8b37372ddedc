using A3.Runtime.Model;
using TorchSharp;

namespace A3.Onnx.Tests;

/// <summary>The A3 runtime's own logits for a model folder: what the exported graph must reproduce.</summary>
internal static class RuntimeReference
{
    /// <summary>Returns <see cref="DecoderModel.Forward"/>'s float32 logits <c>[B, T, V]</c> for <paramref name="ids"/>, flattened.</summary>
    public static float[] Logits(string modelPath, long[] ids, int batch)
    {
        using var checkpoint = ModelCheckpoint.Open(modelPath);
        using var model = checkpoint.CreateModel(torch.CPU, torch.float32);
        using var scope = torch.NewDisposeScope();
        var logits = model.Forward(torch.tensor(ids, [batch, ids.Length / batch]));
        return logits.data<float>().ToArray();
    }

    /// <summary>Returns the largest absolute difference of two equally long arrays.</summary>
    public static double MaxAbsDifference(IReadOnlyList<float> expected, IReadOnlyList<float> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        var worst = 0.0;
        for (var i = 0; i < expected.Count; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        return worst;
    }

    /// <summary>The first <paramref name="count"/> tokens of the TinyStories validation text, with BOS, as the fixture's tokenizer encodes them.</summary>
    public static long[] StoryTokens(string modelPath, int count, int skipCharacters = 0)
    {
        using var checkpoint = ModelCheckpoint.Open(modelPath);
        var text = File.ReadAllText(A3.Tests.Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt"));
        var ids = checkpoint.Tokenizer.Encode(text.Substring(skipCharacters, 2000));
        return new long[] { checkpoint.Config.BosTokenId ?? 1 }.Concat(ids.Select(id => (long)id)).Take(count).ToArray();
    }
}
