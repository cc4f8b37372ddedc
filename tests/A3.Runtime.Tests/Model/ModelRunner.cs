using A3.Runtime.Model;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Runtime.Tests.Model;

/// <summary>Loads a <see cref="DecoderModel"/> from host weights and compares its logits with reference values.</summary>
internal static class ModelRunner
{
    public static DecoderModel Load(ModelConfig config, IReadOnlyDictionary<string, (long[] Shape, float[] Data)> weights, torch.ScalarType dtype = torch.ScalarType.Float32)
    {
        TorchNative.EnsureLoaded();
        using var source = new DictionaryWeightSource(weights);
        return DecoderModel.Load(config, source, torch.CPU, dtype);
    }

    /// <summary>Runs a batch of equal-length sequences and returns logits [B][T][V].</summary>
    public static float[][][] Logits(DecoderModel model, int[][] ids, KvCache? cache = null)
    {
        using var scope = torch.NewDisposeScope();
        var length = ids[0].Length;
        var input = torch.tensor(ids.SelectMany(row => row.Select(id => (long)id)).ToArray(), [ids.Length, length], torch.int64);
        var logits = model.Forward(input, cache);
        Assert.Equal(new long[] { ids.Length, length, model.Config.VocabSize }, logits.shape);
        Assert.Equal(torch.float32, logits.dtype);
        var flat = logits.data<float>().ToArray();
        var vocab = model.Config.VocabSize;
        return Enumerable.Range(0, ids.Length)
            .Select(b => Enumerable.Range(0, length).Select(t => flat.AsSpan(((b * length) + t) * vocab, vocab).ToArray()).ToArray())
            .ToArray();
    }

    public static int[][] Tokens(int seed, int batch, int length, int vocab)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, length).Select(_ => random.Next(vocab)).ToArray()).ToArray();
    }

    /// <summary>Returns max |a−b| over all logits divided by max |a| (a is the reference).</summary>
    public static double RelativeError(IEnumerable<double> reference, IEnumerable<double> actual)
    {
        var pairs = reference.Zip(actual).ToArray();
        var scale = pairs.Max(pair => Math.Abs(pair.First));
        return pairs.Max(pair => Math.Abs(pair.First - pair.Second)) / scale;
    }

    public static IEnumerable<double> Flatten(float[][][] logits) => logits.SelectMany(b => b.SelectMany(t => t.Select(v => (double)v)));

    public static IEnumerable<double> Flatten(double[][][] logits) => logits.SelectMany(b => b.SelectMany(t => t));
}
