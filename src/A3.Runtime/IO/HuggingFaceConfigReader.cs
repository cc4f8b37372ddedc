using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using A3.IO;
using A3.Runtime.Model;

namespace A3.Runtime.IO;

/// <summary>
/// Reads a Hugging Face <c>config.json</c> of a Llama-family decoder (<c>LlamaForCausalLM</c>,
/// <c>MistralForCausalLM</c>, <c>Qwen2ForCausalLM</c>) into a <see cref="ModelConfig"/>, including the
/// optional <c>a3</c> section of a compressed model (see <c>docs/FORMAT.md</c>).
/// </summary>
internal static class HuggingFaceConfigReader
{
    /// <summary>The only <c>a3.format_version</c> this reader understands.</summary>
    public const int A3FormatVersion = 1;

    private static readonly Dictionary<string, string> ModelTypeByArchitecture = new(StringComparer.Ordinal)
    {
        ["LlamaForCausalLM"] = "llama",
        ["MistralForCausalLM"] = "mistral",
        ["Qwen2ForCausalLM"] = "qwen2",
    };

    /// <summary>Reads and validates a <c>config.json</c> file.</summary>
    /// <param name="configJsonPath">The path of the <c>config.json</c> file.</param>
    /// <returns>The configuration; <see cref="ModelConfig.SourceJson"/> holds the parsed document.</returns>
    /// <exception cref="A3InputException">
    /// The file is missing (<see cref="A3ErrorCodes.FileNotFound"/>), malformed or inconsistent
    /// (<see cref="A3ErrorCodes.InvalidModelConfig"/>), uses an unsupported architecture or field
    /// (<see cref="A3ErrorCodes.UnsupportedModel"/>), or has a malformed <c>a3</c> section
    /// (<see cref="A3ErrorCodes.InvalidCompressedFormat"/>).
    /// </exception>
    public static ModelConfig Read(string configJsonPath)
    {
        ArgumentNullException.ThrowIfNull(configJsonPath);
        InputFiles.Require(configJsonPath, "the model config file does not exist.");

        return Parse(File.ReadAllText(configJsonPath), configJsonPath);
    }

    /// <summary>Parses and validates the text of a <c>config.json</c> document.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourcePath">The file the text came from, named in errors.</param>
    /// <returns>The configuration; <see cref="ModelConfig.SourceJson"/> holds the parsed document.</returns>
    /// <exception cref="A3InputException">The document is malformed, inconsistent or unsupported (see <see cref="Read"/>).</exception>
    public static ModelConfig Parse(string json, string sourcePath)
    {
        return Parse(ModelTokenConfig.ParseDocument(json, sourcePath));
    }

    private static ModelConfig Parse(ConfigJson config)
    {
        var path = config.FilePath;
        var (architecture, modelType) = ReadArchitecture(config);
        RejectUnsupportedFields(config, architecture, modelType);

        var hiddenSize = config.RequiredInt("hidden_size", 1);
        var intermediateSize = config.RequiredInt("intermediate_size", 1);
        var numLayers = config.RequiredInt("num_hidden_layers", 1);
        var numHeads = config.RequiredInt("num_attention_heads", 1);
        var numKvHeads = config.OptionalInt("num_key_value_heads") ?? numHeads;
        if (numKvHeads < 1 || numHeads % numKvHeads != 0)
        {
            throw config.Error($"'num_attention_heads' ({numHeads}) must be a positive multiple of 'num_key_value_heads' ({numKvHeads}).");
        }

        var headDim = ReadHeadDim(config, hiddenSize, numHeads);
        var tokens = ModelTokenConfig.Read(config);
        var rmsNormEps = config.RequiredPositiveDouble("rms_norm_eps");
        var ropeTheta = config.OptionalDouble("rope_theta") ?? 10000.0;
        if (ropeTheta <= 1)
        {
            throw config.Error($"'rope_theta' must be greater than 1, but is {ropeTheta.ToString("R", CultureInfo.InvariantCulture)}.");
        }

        var dtype = config.OptionalString("torch_dtype") ?? config.OptionalString("dtype") ?? TorchDtypeNames.Float32;
        if (!TorchDtypeNames.IsSupported(dtype))
        {
            throw new A3InputException(A3ErrorCodes.UnsupportedModel, $"'torch_dtype' '{dtype}' is not supported; expected one of {string.Join(", ", TorchDtypeNames.Supported)}.", path);
        }

        var attentionBias = modelType switch
        {
            "qwen2" => true,
            "llama" => config.OptionalBool("attention_bias") ?? false,
            _ => false,
        };

        var partial = new ModelConfig
        {
            Architecture = architecture,
            ModelType = modelType,
            HiddenSize = hiddenSize,
            IntermediateSize = intermediateSize,
            NumLayers = numLayers,
            NumAttentionHeads = numHeads,
            NumKeyValueHeads = numKvHeads,
            VocabSize = tokens.VocabSize,
            MaxPositionEmbeddings = tokens.MaxPositionEmbeddings,
            RmsNormEps = rmsNormEps,
            RopeTheta = ropeTheta,
            RopeScaling = ReadRopeScaling(config),
            OriginalHeadDim = headDim,
            AttentionScale = 1.0 / Math.Sqrt(headDim),
            TieWordEmbeddings = config.OptionalBool("tie_word_embeddings") ?? false,
            AttentionBias = attentionBias,
            HiddenAct = "silu",
            BosTokenId = tokens.BosTokenId,
            EosTokenId = tokens.EosTokenIds.Count > 0 ? tokens.EosTokenIds[0] : null,
            TorchDtype = dtype,
            Layers = ModelConfig.FullLayers(numLayers, numKvHeads, headDim, intermediateSize),
            SourceJson = config.Object,
        };

        var a3 = config.OptionalObject("a3", A3ErrorCodes.InvalidCompressedFormat);
        return a3 is null ? partial : ReadA3Section(a3, partial);
    }

    private static (string Architecture, string ModelType) ReadArchitecture(ConfigJson config)
    {
        string? architecture = null;
        if (config.Has("architectures"))
        {
            var architectures = config.RequiredArray("architectures");
            if (architectures.Count != 1 || architectures[0] is not JsonValue value || !value.TryGetValue<JsonElement>(out var element) || element.ValueKind != JsonValueKind.String)
            {
                throw config.Error($"'architectures' must list exactly one architecture name, but is {architectures.ToJsonString()}.");
            }

            architecture = element.GetString()!;
            if (!ModelTypeByArchitecture.ContainsKey(architecture))
            {
                throw new A3InputException(
                    A3ErrorCodes.UnsupportedModel,
                    $"architecture '{architecture}' is not supported; supported: {string.Join(", ", ModelTypeByArchitecture.Keys)}.",
                    config.FilePath);
            }
        }

        var modelType = config.OptionalString("model_type");
        if (modelType is not null && !ModelTypeByArchitecture.ContainsValue(modelType))
        {
            throw new A3InputException(
                A3ErrorCodes.UnsupportedModel,
                $"'model_type' '{modelType}' is not supported; supported: {string.Join(", ", ModelTypeByArchitecture.Values)}.",
                config.FilePath);
        }

        if (architecture is null && modelType is null)
        {
            throw config.Error("neither 'architectures' nor 'model_type' is present, so the architecture is unknown.");
        }

        architecture ??= ModelTypeByArchitecture.First(pair => pair.Value == modelType).Key;
        var expectedType = ModelTypeByArchitecture[architecture];
        if (modelType is not null && modelType != expectedType)
        {
            throw config.Error($"'model_type' '{modelType}' does not match architecture '{architecture}' (expected '{expectedType}').");
        }

        return (architecture, expectedType);
    }

    private static void RejectUnsupportedFields(ConfigJson config, string architecture, string modelType)
    {
        var activation = config.OptionalString("hidden_act") ?? "silu";
        if (activation != "silu")
        {
            throw new A3InputException(A3ErrorCodes.UnsupportedModel, $"'hidden_act' '{activation}' of {architecture} is not supported; only 'silu' is.", config.FilePath);
        }

        if (config.OptionalBool("mlp_bias") == true)
        {
            throw new A3InputException(A3ErrorCodes.UnsupportedModel, $"'mlp_bias': true of {architecture} is not supported (MLP projections must have no bias).", config.FilePath);
        }

        if (modelType == "qwen2" && config.OptionalBool("use_sliding_window") == true)
        {
            throw new A3InputException(A3ErrorCodes.UnsupportedModel, $"'use_sliding_window': true of {architecture} is not supported (sliding-window attention).", config.FilePath);
        }

        if (modelType == "mistral" && config.OptionalInt("sliding_window") is { } window
            && window < config.RequiredInt("max_position_embeddings"))
        {
            throw new A3InputException(
                A3ErrorCodes.UnsupportedModel,
                $"'sliding_window' {window} of {architecture} is smaller than 'max_position_embeddings', so sliding-window attention is in effect; it is not supported.",
                config.FilePath);
        }
    }

    private static int ReadHeadDim(ConfigJson config, int hiddenSize, int numHeads)
    {
        int headDim;
        if (config.OptionalInt("head_dim") is { } explicitHeadDim)
        {
            headDim = explicitHeadDim;
        }
        else if (hiddenSize % numHeads == 0)
        {
            headDim = hiddenSize / numHeads;
        }
        else
        {
            throw config.Error($"'hidden_size' ({hiddenSize}) is not divisible by 'num_attention_heads' ({numHeads}) and no 'head_dim' is given.");
        }

        if (headDim < 2 || headDim % 2 != 0)
        {
            throw config.Error($"'head_dim' must be a positive even number (RoPE rotates pairs), but is {headDim}.");
        }

        return headDim;
    }

    private static RopeScaling? ReadRopeScaling(ConfigJson config)
    {
        var scaling = config.OptionalObject("rope_scaling", A3ErrorCodes.InvalidModelConfig);
        if (scaling is null)
        {
            return null;
        }

        var type = scaling.OptionalString("rope_type") ?? scaling.OptionalString("type")
            ?? throw scaling.Error("'rope_scaling' has neither 'rope_type' nor 'type'.");
        switch (type)
        {
            case "default":
                return null;
            case "llama3":
                var factor = scaling.RequiredPositiveDouble("factor");
                var low = scaling.RequiredPositiveDouble("low_freq_factor");
                var high = scaling.RequiredPositiveDouble("high_freq_factor");
                var originalMax = scaling.RequiredInt("original_max_position_embeddings", 1);
                if (high <= low)
                {
                    throw scaling.Error($"'rope_scaling.high_freq_factor' ({high.ToString("R", CultureInfo.InvariantCulture)}) must be greater than 'rope_scaling.low_freq_factor' ({low.ToString("R", CultureInfo.InvariantCulture)}).");
                }

                return new RopeScaling(type, factor, low, high, originalMax);
            default:
                throw new A3InputException(
                    A3ErrorCodes.UnsupportedModel,
                    $"'rope_scaling' type '{type}' is not supported; only 'default' and 'llama3' are.",
                    config.FilePath);
        }
    }

    private static ModelConfig ReadA3Section(ConfigJson a3, ModelConfig partial)
    {
        var version = a3.RequiredInt("format_version");
        if (version != A3FormatVersion)
        {
            throw a3.Error($"'a3.format_version' {version} is not supported; this reader understands version {A3FormatVersion}.");
        }

        var originalHeadDim = a3.RequiredInt("original_head_dim");
        if (originalHeadDim != partial.OriginalHeadDim)
        {
            throw a3.Error($"'a3.original_head_dim' ({originalHeadDim}) must equal the model's 'head_dim' ({partial.OriginalHeadDim}).");
        }

        var attentionScale = a3.RequiredPositiveDouble("attention_scale");
        var layers = a3.RequiredArray("layers");
        if (layers.Count != partial.NumLayers)
        {
            throw a3.Error($"'a3.layers' has {layers.Count} entries but 'num_hidden_layers' is {partial.NumLayers}.");
        }

        var shapes = new LayerShape[layers.Count];
        for (var i = 0; i < layers.Count; i++)
        {
            if (layers[i] is not JsonObject layerObject)
            {
                throw a3.Error($"'a3.layers[{i}]' must be an object.");
            }

            shapes[i] = ReadLayer(new ConfigJson(layerObject, a3.FilePath, A3ErrorCodes.InvalidCompressedFormat, $"a3.layers[{i}]."), partial);
        }

        return partial with { AttentionScale = attentionScale, Layers = shapes };
    }

    private static LayerShape ReadLayer(ConfigJson layer, ModelConfig config)
    {
        var qk = layer.RequiredInt("qk_head_dim", 2);
        if (qk % 2 != 0 || qk > config.OriginalHeadDim)
        {
            throw layer.Error($"'{layer.Name("qk_head_dim")}' must be even and at most {config.OriginalHeadDim}, but is {qk}.");
        }

        var v = layer.RequiredInt("v_head_dim", 1);
        if (v > config.OriginalHeadDim)
        {
            throw layer.Error($"'{layer.Name("v_head_dim")}' must be at most {config.OriginalHeadDim}, but is {v}.");
        }

        var intermediate = layer.RequiredInt("intermediate_size", 1);
        if (intermediate > config.IntermediateSize)
        {
            throw layer.Error($"'{layer.Name("intermediate_size")}' must be at most {config.IntermediateSize}, but is {intermediate}.");
        }

        var lists = layer.RequiredArray("rope_pairs");
        if (lists.Count != config.NumKeyValueHeads)
        {
            throw layer.Error($"'{layer.Name("rope_pairs")}' must have one list per key/value head ({config.NumKeyValueHeads}), but has {lists.Count}.");
        }

        var ropePairs = new IReadOnlyList<int>[lists.Count];
        for (var j = 0; j < lists.Count; j++)
        {
            var name = $"{layer.Name("rope_pairs")}[{j}]";
            if (lists[j] is not JsonArray list)
            {
                throw layer.Error($"'{name}' must be a list of pair indices.");
            }

            if (list.Count != qk / 2)
            {
                throw layer.Error($"'{name}' has {list.Count} pair indices but qk_head_dim {qk} needs {qk / 2}.");
            }

            var pairs = new int[list.Count];
            for (var m = 0; m < list.Count; m++)
            {
                if (list[m] is not JsonValue value || !value.TryGetValue<JsonElement>(out var element)
                    || element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var pair))
                {
                    throw layer.Error($"'{name}[{m}]' must be an integer pair index.");
                }

                if (pair < 0 || pair >= config.RopePairCount)
                {
                    throw layer.Error($"'{name}[{m}]' is {pair}, outside [0, {config.RopePairCount}) (original_head_dim / 2).");
                }

                if (m > 0 && pair <= pairs[m - 1])
                {
                    throw layer.Error($"'{name}' must be strictly ascending (unique), but {pair} follows {pairs[m - 1]}.");
                }

                pairs[m] = pair;
            }

            ropePairs[j] = pairs;
        }

        var shape = new LayerShape(qk, v, intermediate, ropePairs);
        var factorized = layer.OptionalObject("factorized", A3ErrorCodes.InvalidCompressedFormat);
        return factorized is null ? shape : shape with { FactorizedRanks = ReadFactorizedRanks(factorized, config, shape) };
    }

    private static Dictionary<string, int> ReadFactorizedRanks(ConfigJson factorized, ModelConfig config, LayerShape shape)
    {
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (projection, _) in factorized.Object)
        {
            if (!TensorNames.IsProjection(projection))
            {
                throw factorized.Error(
                    $"'{factorized.Name(projection)}' names no projection that can be factorised; expected one of {string.Join(", ", TensorNames.Projections)}.");
            }

            var (rows, columns) = LinearProjections.Dimensions(config, shape, projection);
            var limit = Math.Min(rows, columns);
            var rank = factorized.RequiredInt(projection, 1);
            if (rank > limit)
            {
                throw factorized.Error($"'{factorized.Name(projection)}' is {rank}, but the rank of a [{rows}, {columns}] projection must be at most {limit}.");
            }

            ranks[projection] = rank;
        }

        return ranks;
    }
}
