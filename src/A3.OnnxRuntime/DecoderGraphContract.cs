using A3.Recipes;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace A3.OnnxRuntime;

/// <summary>
/// The decoder graph contract, checked against what a graph declares: the inputs <c>input_ids</c>,
/// <c>attention_mask</c>, <c>position_ids</c> (int64) and per layer <c>past_key_values.{i}.key</c> /
/// <c>.value</c> (float32 <c>[batch, kv_heads, past, dim]</c>), the outputs <c>logits</c> and per layer
/// <c>present.{i}.key</c> / <c>.value</c>. The per-layer cache shapes are read from the graph, not from
/// <c>config.json</c>: a compressed model's head dims differ per layer, and the graph is what runs.
/// </summary>
internal sealed class DecoderGraphContract
{
    private DecoderGraphContract(IReadOnlyList<LayerCacheShape> layers, int? vocabSize)
    {
        Layers = layers;
        VocabSize = vocabSize;
    }

    /// <summary>Gets the cache shape of each decoder layer; element <c>i</c> is layer <c>i</c>.</summary>
    public IReadOnlyList<LayerCacheShape> Layers { get; }

    /// <summary>Gets the vocabulary size when the graph fixes the last dimension of <c>logits</c>.</summary>
    public int? VocabSize { get; }

    /// <summary>Checks a graph's inputs and outputs against the contract.</summary>
    /// <param name="inputs">The graph's inputs.</param>
    /// <param name="outputs">The graph's outputs.</param>
    /// <param name="modelPath">The graph file, named in errors.</param>
    /// <returns>The contract with the graph's cache shapes.</returns>
    /// <exception cref="A3InputException"><see cref="A3ErrorCodes.InvalidOnnxModel"/>: the graph does not follow the contract.</exception>
    public static DecoderGraphContract Read(IReadOnlyList<GraphTensor> inputs, IReadOnlyList<GraphTensor> outputs, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        var inputByName = ByName(inputs, "input", modelPath);
        var outputByName = ByName(outputs, "output", modelPath);
        Require(inputByName, OnnxGraphNames.InputIds, TensorElementType.Int64, 2, "input", modelPath);
        Require(inputByName, OnnxGraphNames.AttentionMask, TensorElementType.Int64, 2, "input", modelPath);
        Require(inputByName, OnnxGraphNames.PositionIds, TensorElementType.Int64, 2, "input", modelPath);
        var logits = Require(outputByName, OnnxGraphNames.Logits, TensorElementType.Float, 3, "output", modelPath);

        var layers = new List<LayerCacheShape>();
        while (inputByName.ContainsKey(OnnxGraphNames.PastKey(layers.Count)) || inputByName.ContainsKey(OnnxGraphNames.PastValue(layers.Count)))
        {
            int layer = layers.Count;
            var key = CacheTensor(inputByName, OnnxGraphNames.PastKey(layer), "input", modelPath);
            var value = CacheTensor(inputByName, OnnxGraphNames.PastValue(layer), "input", modelPath);
            if (key.Heads != value.Heads)
            {
                throw Invalid($"layer {layer} caches keys of {key.Heads} heads but values of {value.Heads}", modelPath);
            }

            var presentKey = CacheTensor(outputByName, OnnxGraphNames.PresentKey(layer), "output", modelPath);
            var presentValue = CacheTensor(outputByName, OnnxGraphNames.PresentValue(layer), "output", modelPath);
            if (presentKey != key || presentValue != value)
            {
                throw Invalid($"layer {layer} returns a cache of another shape than it takes: '{OnnxGraphNames.PresentKey(layer)}' / '{OnnxGraphNames.PresentValue(layer)}' must match '{OnnxGraphNames.PastKey(layer)}' / '{OnnxGraphNames.PastValue(layer)}' in heads and head dim", modelPath);
            }

            layers.Add(new LayerCacheShape(key.Heads, key.HeadDim, value.HeadDim));
        }

        if (layers.Count == 0)
        {
            throw Invalid($"the graph has no key/value cache inputs ('{OnnxGraphNames.PastKey(0)}', ...); export it with its cache (a3 export)", modelPath);
        }

        var known = new HashSet<string>(StringComparer.Ordinal) { OnnxGraphNames.InputIds, OnnxGraphNames.AttentionMask, OnnxGraphNames.PositionIds };
        for (int layer = 0; layer < layers.Count; layer++)
        {
            known.Add(OnnxGraphNames.PastKey(layer));
            known.Add(OnnxGraphNames.PastValue(layer));
        }

        // An input this runtime does not feed would make every run fail; say so at load instead.
        if (inputs.FirstOrDefault(input => !known.Contains(input.Name)) is { } unknown)
        {
            throw Invalid($"the graph has an input '{unknown.Name}' that is not part of the decoder contract (input_ids, attention_mask, position_ids, past_key_values.{{i}}.key/value for layers 0-{layers.Count - 1})", modelPath);
        }

        int vocab = logits.Dimensions[2];
        return new DecoderGraphContract(layers, vocab > 0 ? vocab : null);
    }

    private static Dictionary<string, GraphTensor> ByName(IReadOnlyList<GraphTensor> tensors, string kind, string modelPath)
    {
        var byName = new Dictionary<string, GraphTensor>(StringComparer.Ordinal);
        foreach (var tensor in tensors)
        {
            if (!byName.TryAdd(tensor.Name, tensor))
            {
                throw Invalid($"the graph declares the {kind} '{tensor.Name}' twice", modelPath);
            }
        }

        return byName;
    }

    private static GraphTensor Require(Dictionary<string, GraphTensor> byName, string name, TensorElementType type, int rank, string kind, string modelPath)
    {
        if (!byName.TryGetValue(name, out var tensor))
        {
            throw Invalid($"the graph has no {kind} '{name}'", modelPath);
        }

        if (tensor.ElementType != type || tensor.Dimensions.Count != rank)
        {
            throw Invalid($"the {kind} '{name}' must be a rank-{rank} {Describe(type)} tensor, but is a rank-{tensor.Dimensions.Count} {Describe(tensor.ElementType)} one", modelPath);
        }

        return tensor;
    }

    private static (int Heads, int HeadDim) CacheTensor(Dictionary<string, GraphTensor> byName, string name, string kind, string modelPath)
    {
        var tensor = Require(byName, name, TensorElementType.Float, 4, kind, modelPath);
        int heads = tensor.Dimensions[1];
        int headDim = tensor.Dimensions[3];
        if (heads <= 0 || headDim <= 0)
        {
            throw Invalid($"the {kind} '{name}' must fix its heads and head dim ([batch, kv_heads, past, head_dim]), but its shape is [{string.Join(", ", tensor.Dimensions.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]", modelPath);
        }

        return (heads, headDim);
    }

    private static string Describe(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Int64 => "int64",
        TensorElementType.DataTypeMax => "non-tensor",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static A3InputException Invalid(string problem, string modelPath) =>
        new(A3ErrorCodes.InvalidOnnxModel, $"{Path.GetFileName(modelPath)} does not follow the A3 decoder graph contract: {problem}.", modelPath);
}
