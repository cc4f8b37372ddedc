using System.Text;
using System.Text.Json.Nodes;
using A3.Runtime.Model;

namespace A3.Runtime.IO;

/// <summary>
/// Writes a <see cref="ModelConfig"/> as a Hugging Face <c>config.json</c> with the <c>a3</c>
/// section described in <c>docs/FORMAT.md</c>.
/// </summary>
/// <remarks>
/// The <c>a3</c> object is always written, also for an uncompressed model: the attention scale and
/// the per-KV-head RoPE pair lists are then stated explicitly, so a reader never has to infer them.
/// Fields of <see cref="ModelConfig.SourceJson"/> that the config does not model are kept as they are.
/// The output is deterministic: keys sorted ordinally at every level, two-space indentation,
/// <c>"\n"</c> newlines, UTF-8 without BOM, shortest round-trip doubles.
/// </remarks>
internal static class HuggingFaceConfigWriter
{
    /// <summary>Returns the <c>config.json</c> text for <paramref name="config"/> without writing it.</summary>
    /// <param name="config">The configuration to serialise.</param>
    /// <returns>The document text, ending with a newline.</returns>
    /// <exception cref="ArgumentException">The configuration is inconsistent (the same rules the reader enforces).</exception>
    public static string ToJson(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var root = config.SourceJson?.DeepClone().AsObject() ?? [];
        SetHuggingFaceFields(root, config);
        root["a3"] = A3Section(config);
        var text = CanonicalJsonWriter.Write(root);
        try
        {
            HuggingFaceConfigReader.Parse(text, "config.json");
        }
        catch (A3InputException e)
        {
            throw new ArgumentException($"the model config cannot be written because it is inconsistent: {e.Message}", nameof(config), e);
        }

        return text;
    }

    /// <summary>Writes <paramref name="config"/> to <paramref name="path"/> via a temporary file renamed into place.</summary>
    /// <param name="config">The configuration to write.</param>
    /// <param name="path">The destination <c>config.json</c> path; its folder must exist.</param>
    /// <exception cref="ArgumentException">The configuration is inconsistent.</exception>
    public static void Write(ModelConfig config, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(ToJson(config));
        var fullPath = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static void SetHuggingFaceFields(JsonObject root, ModelConfig config)
    {
        root["architectures"] = new JsonArray(config.Architecture);
        root["model_type"] = config.ModelType;
        root["hidden_size"] = config.HiddenSize;
        root["intermediate_size"] = config.IntermediateSize;
        root["num_hidden_layers"] = config.NumLayers;
        root["num_attention_heads"] = config.NumAttentionHeads;
        root["num_key_value_heads"] = config.NumKeyValueHeads;
        root["head_dim"] = config.OriginalHeadDim;
        root["vocab_size"] = config.VocabSize;
        root["max_position_embeddings"] = config.MaxPositionEmbeddings;
        root["rms_norm_eps"] = config.RmsNormEps;
        root["rope_theta"] = config.RopeTheta;
        root["tie_word_embeddings"] = config.TieWordEmbeddings;
        root["hidden_act"] = config.HiddenAct;
        root["torch_dtype"] = config.TorchDtype;
        if (root.ContainsKey("dtype"))
        {
            root["dtype"] = config.TorchDtype;
        }

        if (config.ModelType == "llama")
        {
            root["attention_bias"] = config.AttentionBias;
        }

        SetRopeScaling(root, config.RopeScaling);
        SetTokenId(root, "bos_token_id", config.BosTokenId);
        SetTokenId(root, "eos_token_id", config.EosTokenId);
    }

    private static void SetRopeScaling(JsonObject root, RopeScaling? scaling)
    {
        if (scaling is null)
        {
            // A source "default" object means no scaling too; keeping it avoids a pointless diff.
            var existingType = root["rope_scaling"] is JsonObject existing ? (existing["rope_type"] ?? existing["type"])?.ToString() : null;
            if (existingType != "default")
            {
                root["rope_scaling"] = null;
            }

            return;
        }

        root["rope_scaling"] = new JsonObject
        {
            ["rope_type"] = scaling.Type,
            ["factor"] = scaling.Factor,
            ["low_freq_factor"] = scaling.LowFreqFactor,
            ["high_freq_factor"] = scaling.HighFreqFactor,
            ["original_max_position_embeddings"] = scaling.OriginalMaxPositionEmbeddings,
        };
    }

    private static void SetTokenId(JsonObject root, string field, int? id)
    {
        if (id is null)
        {
            root.Remove(field);
            return;
        }

        // Several ids (Llama 3's eos list) are kept when the modelled first one is unchanged.
        if (root[field] is JsonArray ids && ids.Count > 0 && ids[0]?.ToString() == id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return;
        }

        root[field] = id.Value;
    }

    private static JsonObject A3Section(ModelConfig config)
    {
        var layers = new JsonArray();
        foreach (var layer in config.Layers)
        {
            var ropePairs = new JsonArray();
            foreach (var pairs in layer.RopePairs)
            {
                ropePairs.Add(new JsonArray(pairs.Select(pair => (JsonNode?)pair).ToArray()));
            }

            var layerObject = new JsonObject
            {
                ["qk_head_dim"] = layer.QkHeadDim,
                ["v_head_dim"] = layer.VHeadDim,
                ["intermediate_size"] = layer.IntermediateSize,
                ["rope_pairs"] = ropePairs,
            };

            // Written only when some projection is factorised, so configs of A3-only models keep their exact bytes.
            if (layer.FactorizedRanks.Count > 0)
            {
                var factorized = new JsonObject();
                foreach (var (projection, rank) in layer.FactorizedRanks.OrderBy(entry => entry.Key, StringComparer.Ordinal))
                {
                    factorized[projection] = rank;
                }

                layerObject["factorized"] = factorized;
            }

            layers.Add(layerObject);
        }

        return new JsonObject
        {
            ["format_version"] = HuggingFaceConfigReader.A3FormatVersion,
            ["original_head_dim"] = config.OriginalHeadDim,
            ["attention_scale"] = config.AttentionScale,
            ["layers"] = layers,
        };
    }
}
