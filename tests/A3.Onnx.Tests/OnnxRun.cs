using A3.Recipes;
using A3.Runtime.Model;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace A3.Onnx.Tests;

/// <summary>An exported model in an ONNX Runtime CPU session, fed the graph's inputs from plain arrays.</summary>
internal sealed class OnnxRun : IDisposable
{
    private readonly InferenceSession session;
    private readonly ModelConfig config;

    public OnnxRun(string modelFile, ModelConfig config)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        session = new InferenceSession(modelFile, options);
        this.config = config;
    }

    /// <summary>Gets the cached keys and values per layer after the last <see cref="Step"/>, <c>[B, H_kv, S, dim]</c>.</summary>
    public (DenseTensor<float> Key, DenseTensor<float> Value)[]? Cache { get; private set; }

    /// <summary>Runs new tokens <paramref name="ids"/> <c>[B, T]</c> after the cache (none on the first call); returns logits <c>[B, T, V]</c>, flattened.</summary>
    /// <param name="ids">The new tokens, row-major.</param>
    /// <param name="batch">B.</param>
    /// <param name="mask">The attention mask <c>[B, past + T]</c>; all ones when null.</param>
    /// <param name="positions">The position ids <c>[B, T]</c>; <c>past … past+T−1</c> when null.</param>
    public float[] Step(long[] ids, int batch, long[]? mask = null, long[]? positions = null)
    {
        var length = ids.Length / batch;
        var past = Cache is null ? 0 : Cache[0].Key.Dimensions[2];
        mask ??= Enumerable.Repeat(1L, batch * (past + length)).ToArray();
        positions ??= Enumerable.Range(0, batch).SelectMany(_ => Enumerable.Range(past, length).Select(p => (long)p)).ToArray();
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor(OnnxGraphNames.InputIds, new DenseTensor<long>(ids, [batch, length])),
            NamedOnnxValue.CreateFromTensor(OnnxGraphNames.AttentionMask, new DenseTensor<long>(mask, [batch, past + length])),
            NamedOnnxValue.CreateFromTensor(OnnxGraphNames.PositionIds, new DenseTensor<long>(positions, [batch, length])),
        };
        for (var i = 0; i < config.NumLayers; i++)
        {
            var shape = config.Layers[i];
            var key = Cache?[i].Key ?? new DenseTensor<float>([batch, config.NumKeyValueHeads, 0, shape.QkHeadDim]);
            var value = Cache?[i].Value ?? new DenseTensor<float>([batch, config.NumKeyValueHeads, 0, shape.VHeadDim]);
            inputs.Add(NamedOnnxValue.CreateFromTensor(OnnxGraphNames.PastKey(i), key));
            inputs.Add(NamedOnnxValue.CreateFromTensor(OnnxGraphNames.PastValue(i), value));
        }

        using var results = session.Run(inputs);
        var byName = results.ToDictionary(result => result.Name, result => result);
        Cache = Enumerable.Range(0, config.NumLayers)
            .Select(i => (Copy(byName[OnnxGraphNames.PresentKey(i)]), Copy(byName[OnnxGraphNames.PresentValue(i)])))
            .ToArray();
        var logits = byName[OnnxGraphNames.Logits].AsTensor<float>();
        Assert.Equal([batch, length, config.VocabSize], logits.Dimensions.ToArray());
        return logits.ToArray();
    }

    public void Dispose() => session.Dispose();

    private static DenseTensor<float> Copy(DisposableNamedOnnxValue value)
    {
        var tensor = value.AsTensor<float>();
        return new DenseTensor<float>(tensor.ToArray(), tensor.Dimensions);
    }
}
