using A3.Recipes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace A3.OnnxRuntime;

/// <summary>An ONNX Runtime session over a graph that follows the decoder contract, run one span of tokens at a time.</summary>
internal sealed class DecoderSession : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly string[] inputNames;
    private readonly string[] outputNames;

    private DecoderSession(InferenceSession session, DecoderGraphContract contract)
    {
        this.session = session;
        Contract = contract;
        var layers = Enumerable.Range(0, contract.Layers.Count);
        inputNames = [OnnxGraphNames.InputIds, OnnxGraphNames.AttentionMask, OnnxGraphNames.PositionIds,
            .. layers.SelectMany(layer => new[] { OnnxGraphNames.PastKey(layer), OnnxGraphNames.PastValue(layer) })];
        outputNames = [OnnxGraphNames.Logits, .. layers.SelectMany(layer => new[] { OnnxGraphNames.PresentKey(layer), OnnxGraphNames.PresentValue(layer) })];
    }

    /// <summary>Gets the graph's contract: its cache shapes and vocabulary.</summary>
    public DecoderGraphContract Contract { get; }

    /// <summary>Opens <paramref name="modelPath"/> and checks it against the decoder contract.</summary>
    /// <param name="modelPath">The <c>model.onnx</c> file (its external data, if any, beside it).</param>
    /// <param name="options">The caller's session settings.</param>
    /// <returns>The session.</returns>
    /// <exception cref="A3InputException"><see cref="A3ErrorCodes.InvalidOnnxModel"/>: ONNX Runtime cannot load the graph, or it breaks the contract.</exception>
    public static DecoderSession Open(string modelPath, OnnxModelOptions options)
    {
        using var sessionOptions = new SessionOptions();
        options.ConfigureSession?.Invoke(sessionOptions);
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new A3InputException(A3ErrorCodes.InvalidOnnxModel, $"ONNX Runtime cannot load {Path.GetFileName(modelPath)}: {e.Message}", modelPath, e);
        }

        try
        {
            var contract = DecoderGraphContract.Read(Describe(session.InputMetadata), Describe(session.OutputMetadata), modelPath);
            return new DecoderSession(session, contract);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="ids"/> after the positions in <paramref name="cache"/>.</summary>
    /// <param name="ids">The new token ids, one or more.</param>
    /// <param name="cache">The cache of the positions before them.</param>
    /// <returns>The outputs: <c>logits</c> <c>[1, ids, vocab]</c>, then the presents; the caller owns them.</returns>
    public IDisposableReadOnlyCollection<OrtValue> Run(IReadOnlyList<int> ids, OnnxKvCache cache)
    {
        int past = cache.Length;
        var inputIds = new long[ids.Count];
        var positions = new long[ids.Count];
        for (int i = 0; i < ids.Count; i++)
        {
            inputIds[i] = ids[i];
            positions[i] = past + i;
        }

        var mask = new long[past + ids.Count];
        Array.Fill(mask, 1L);
        using var idsValue = OrtValue.CreateTensorValueFromMemory(inputIds, [1, ids.Count]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [1, mask.Length]);
        using var positionsValue = OrtValue.CreateTensorValueFromMemory(positions, [1, ids.Count]);
        OrtValue[] inputs = [idsValue, maskValue, positionsValue, .. cache.Values];
        return session.Run(runOptions, inputNames, inputs, outputNames);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        runOptions.Dispose();
        session.Dispose();
    }

    private static GraphTensor[] Describe(IReadOnlyDictionary<string, NodeMetadata> metadata) =>
        metadata.Select(entry => new GraphTensor(
            entry.Key,
            entry.Value.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR ? entry.Value.ElementDataType : TensorElementType.DataTypeMax,
            entry.Value.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR ? entry.Value.Dimensions : []))
            .ToArray();
}
