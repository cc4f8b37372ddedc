using System.Text.Json.Nodes;
using A3.Runtime.IO;
using A3.Runtime.Model;
using A3.Tests;

namespace A3.Runtime.Tests.IO;

public sealed class HuggingFaceConfigReaderTests : IDisposable
{
    private readonly ConfigFiles files = new();

    public void Dispose() => files.Dispose();

    [SkippableFact]
    public void Reads_the_stories260K_fixture_config()
    {
        var path = Fixtures.Require("hf/stories260K-llama/config.json");

        var config = HuggingFaceConfigReader.Read(path);

        Assert.Equal("LlamaForCausalLM", config.Architecture);
        Assert.Equal("llama", config.ModelType);
        Assert.Equal(64, config.HiddenSize);
        Assert.Equal(172, config.IntermediateSize);
        Assert.Equal(5, config.NumLayers);
        Assert.Equal(8, config.NumAttentionHeads);
        Assert.Equal(4, config.NumKeyValueHeads);
        Assert.Equal(8, config.OriginalHeadDim);
        Assert.Equal(512, config.VocabSize);
        Assert.Equal(512, config.MaxPositionEmbeddings);
        Assert.Equal(1e-5, config.RmsNormEps);
        Assert.Equal(10000.0, config.RopeTheta);
        Assert.Null(config.RopeScaling);
        Assert.True(config.TieWordEmbeddings);
        Assert.False(config.AttentionBias);
        Assert.Equal(1, config.BosTokenId);
        Assert.Equal(2, config.EosTokenId);
        Assert.Equal("float32", config.TorchDtype);
        Assert.Equal(1 / Math.Sqrt(8), config.AttentionScale);
        Assert.False(config.IsCompressed);
        Assert.Equal(ModelConfig.FullLayers(5, 4, 8, 172), config.Layers);
        Assert.Equal(4, config.Layers[0].RopePairs.Count);
        Assert.Equal([0, 1, 2, 3], config.Layers[4].RopePairs[3]);
        Assert.NotNull(config.SourceJson);
        Assert.Equal(64, (int)config.SourceJson!["hidden_size"]!);
    }

    [Fact]
    public void Defaults_kv_heads_head_dim_rope_theta_and_tying()
    {
        var path = files.Write(c =>
        {
            c.Remove("num_key_value_heads");
            c.Remove("head_dim");
            c.Remove("rope_theta");
            c.Remove("tie_word_embeddings");
            c.Remove("torch_dtype");
        });

        var config = HuggingFaceConfigReader.Read(path);

        Assert.Equal(8, config.NumKeyValueHeads);
        Assert.Equal(8, config.OriginalHeadDim);
        Assert.Equal(10000.0, config.RopeTheta);
        Assert.False(config.TieWordEmbeddings);
        Assert.Equal("float32", config.TorchDtype);
        Assert.Equal(8, config.Layers[0].RopePairs.Count);
    }

    [Fact]
    public void Takes_the_first_eos_id_of_a_list_and_honours_llama_attention_bias()
    {
        var path = files.Write(c =>
        {
            c["eos_token_id"] = new JsonArray(128001, 128008, 128009);
            c["attention_bias"] = true;
        });

        var config = HuggingFaceConfigReader.Read(path);

        Assert.Equal(128001, config.EosTokenId);
        Assert.True(config.AttentionBias);
    }

    [Fact]
    public void Qwen2_has_attention_bias_and_ignores_an_unused_sliding_window()
    {
        var path = files.Write(c =>
        {
            c["architectures"] = new JsonArray("Qwen2ForCausalLM");
            c["model_type"] = "qwen2";
            c["use_sliding_window"] = false;
            c["sliding_window"] = 64;
            c["attention_dropout"] = 0.0;
        });

        var config = HuggingFaceConfigReader.Read(path);

        Assert.Equal("Qwen2ForCausalLM", config.Architecture);
        Assert.True(config.AttentionBias);
    }

    [Fact]
    public void Mistral_with_sliding_window_null_or_covering_the_context_is_accepted()
    {
        foreach (JsonNode? window in new JsonNode?[] { null, 512, 4096 })
        {
            var path = files.Write(c =>
            {
                c["architectures"] = new JsonArray("MistralForCausalLM");
                c["model_type"] = "mistral";
                c["sliding_window"] = window;
            });

            var config = HuggingFaceConfigReader.Read(path);

            Assert.Equal("mistral", config.ModelType);
            Assert.False(config.AttentionBias);
        }
    }

    [Fact]
    public void Parses_llama3_rope_scaling_and_treats_default_as_none()
    {
        var llama3 = files.Write(c => c["rope_scaling"] = new JsonObject
        {
            ["rope_type"] = "llama3",
            ["factor"] = 8.0,
            ["low_freq_factor"] = 1.0,
            ["high_freq_factor"] = 4.0,
            ["original_max_position_embeddings"] = 8192,
        });
        var byDefault = files.Write(c => c["rope_scaling"] = new JsonObject { ["type"] = "default" });

        Assert.Equal(new RopeScaling("llama3", 8.0, 1.0, 4.0, 8192), HuggingFaceConfigReader.Read(llama3).RopeScaling);
        Assert.Null(HuggingFaceConfigReader.Read(byDefault).RopeScaling);
    }

    public static TheoryData<string, string, string> UnsupportedCases() => new()
    {
        { "architectures", "[\"GPT2LMHeadModel\"]", "GPT2LMHeadModel" },
        { "model_type", "\"gpt2\"", "gpt2" },
        { "hidden_act", "\"gelu\"", "hidden_act" },
        { "mlp_bias", "true", "mlp_bias" },
        { "rope_scaling", "{\"rope_type\": \"yarn\", \"factor\": 4.0}", "yarn" },
        { "rope_scaling", "{\"type\": \"linear\", \"factor\": 2.0}", "linear" },
        { "torch_dtype", "\"float64\"", "torch_dtype" },
    };

    [Theory]
    [MemberData(nameof(UnsupportedCases))]
    public void Unsupported_architectures_and_fields_are_rejected_naming_them(string field, string json, string named)
    {
        var path = files.Write(c => c[field] = JsonNode.Parse(json));

        AssertError(path, A3ErrorCodes.UnsupportedModel, named);
    }

    [Fact]
    public void Sliding_window_in_effect_is_rejected()
    {
        var mistral = files.Write(c =>
        {
            c["architectures"] = new JsonArray("MistralForCausalLM");
            c["model_type"] = "mistral";
            c["sliding_window"] = 128;
        });
        var qwen2 = files.Write(c =>
        {
            c["architectures"] = new JsonArray("Qwen2ForCausalLM");
            c["model_type"] = "qwen2";
            c["use_sliding_window"] = true;
            c["sliding_window"] = 128;
        });

        AssertError(mistral, A3ErrorCodes.UnsupportedModel, "sliding_window");
        AssertError(qwen2, A3ErrorCodes.UnsupportedModel, "use_sliding_window");
    }

    public static TheoryData<string, string?, string> MalformedCases() => new()
    {
        { "hidden_size", "0", "hidden_size" },
        { "hidden_size", "\"64\"", "hidden_size" },
        { "num_hidden_layers", "5.5", "num_hidden_layers" },
        { "vocab_size", null, "vocab_size" },
        { "num_key_value_heads", "3", "num_key_value_heads" },
        { "head_dim", "7", "head_dim" },
        { "rms_norm_eps", "-1e-5", "rms_norm_eps" },
        { "tie_word_embeddings", "\"yes\"", "tie_word_embeddings" },
        { "model_type", "\"mistral\"", "model_type" },
        { "architectures", "[\"LlamaForCausalLM\", \"MistralForCausalLM\"]", "architectures" },
        { "rope_scaling", "{\"rope_type\": \"llama3\", \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 8192}", "rope_scaling.factor" },
        { "rope_scaling", "{\"rope_type\": \"llama3\", \"factor\": 8.0, \"low_freq_factor\": 4.0, \"high_freq_factor\": 1.0, \"original_max_position_embeddings\": 8192}", "high_freq_factor" },
        { "eos_token_id", "[\"x\"]", "eos_token_id" },
    };

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void Malformed_fields_are_rejected_naming_the_field(string field, string? json, string named)
    {
        var path = files.Write(c =>
        {
            if (json is null)
            {
                c.Remove(field);
            }
            else
            {
                c[field] = JsonNode.Parse(json);
            }
        });

        AssertError(path, A3ErrorCodes.InvalidModelConfig, named);
    }

    [Fact]
    public void Hidden_size_not_divisible_by_heads_without_head_dim_is_rejected()
    {
        var path = files.Write(c =>
        {
            c.Remove("head_dim");
            c["hidden_size"] = 66;
        });

        AssertError(path, A3ErrorCodes.InvalidModelConfig, "head_dim");
    }

    [Fact]
    public void Invalid_json_and_missing_files_are_input_errors()
    {
        var path = files.WriteText("{\"hidden_size\": 64,");
        var missing = Path.Combine(files.Folder, "absent.json");

        AssertError(path, A3ErrorCodes.InvalidModelConfig, "not valid JSON");
        AssertError(missing, A3ErrorCodes.FileNotFound, "does not exist");
    }

    [Fact]
    public void Reads_an_a3_section()
    {
        var path = files.Write(c => c["a3"] = A3Section());

        var config = HuggingFaceConfigReader.Read(path);

        Assert.True(config.IsCompressed);
        Assert.Equal(0.35355339059327373, config.AttentionScale);
        Assert.Equal(8, config.OriginalHeadDim);
        Assert.Equal(4, config.Layers[1].QkHeadDim);
        Assert.Equal(6, config.Layers[1].VHeadDim);
        Assert.Equal(100, config.Layers[1].IntermediateSize);
        Assert.Equal([1, 3], config.Layers[1].RopePairs[1]);
        Assert.Equal([0, 3], config.Layers[1].RopePairs[2]);
        Assert.True(config.Layers[0].IsFull(config));
        Assert.False(config.Layers[1].IsFull(config));
    }

    public static TheoryData<string, string> MalformedA3Cases() => new()
    {
        { "$.format_version = 2", "a3.format_version" },
        { "$.format_version = null", "a3.format_version" },
        { "$.original_head_dim = 16", "a3.original_head_dim" },
        { "$.attention_scale = 0", "a3.attention_scale" },
        { "$.layers = drop-last", "a3.layers" },
        { "layers[1].rope_pairs = drop-last", "a3.layers[1].rope_pairs" },
        { "layers[1].rope_pairs[2] = [3, 1]", "a3.layers[1].rope_pairs[2]" },
        { "layers[1].rope_pairs[2] = [1, 1]", "a3.layers[1].rope_pairs[2]" },
        { "layers[1].rope_pairs[2] = [1, 4]", "a3.layers[1].rope_pairs[2][1]" },
        { "layers[1].rope_pairs[2] = [-1, 2]", "a3.layers[1].rope_pairs[2][0]" },
        { "layers[1].rope_pairs[2] = [1, 2, 3]", "a3.layers[1].rope_pairs[2]" },
        { "layers[1].qk_head_dim = 5", "a3.layers[1].qk_head_dim" },
        { "layers[1].qk_head_dim = 10", "a3.layers[1].qk_head_dim" },
        { "layers[1].v_head_dim = 0", "a3.layers[1].v_head_dim" },
        { "layers[1].intermediate_size = 173", "a3.layers[1].intermediate_size" },
        { "layers[1].intermediate_size = null", "a3.layers[1].intermediate_size" },
    };

    [Theory]
    [MemberData(nameof(MalformedA3Cases))]
    public void Malformed_a3_sections_are_rejected_naming_the_layer_and_field(string edit, string named)
    {
        var a3 = A3Section();
        var (target, assignment) = edit.Split(" = ") switch { var parts => (parts[0], parts[1]) };
        JsonObject owner = target.StartsWith("$.", StringComparison.Ordinal) ? a3 : a3["layers"]![1]!.AsObject();
        var field = target.StartsWith("$.", StringComparison.Ordinal) ? target[2..] : target["layers[1].".Length..];
        if (field.EndsWith(']'))
        {
            var list = owner[field[..field.IndexOf('[')]]!.AsArray();
            var index = int.Parse(field[(field.IndexOf('[') + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
            list[index] = JsonNode.Parse(assignment);
        }
        else if (assignment == "drop-last")
        {
            var list = owner[field]!.AsArray();
            list.RemoveAt(list.Count - 1);
        }
        else
        {
            owner[field] = JsonNode.Parse(assignment);
        }

        var path = files.Write(c => c["a3"] = a3);

        AssertError(path, A3ErrorCodes.InvalidCompressedFormat, named);
    }

    internal static JsonObject A3Section()
    {
        var layers = new JsonArray();
        for (var i = 0; i < 5; i++)
        {
            var compressed = i == 1;
            var pairs = new JsonArray();
            for (var j = 0; j < 4; j++)
            {
                pairs.Add(compressed ? new JsonArray(j % 2, 3) : new JsonArray(0, 1, 2, 3));
            }

            layers.Add(new JsonObject
            {
                ["qk_head_dim"] = compressed ? 4 : 8,
                ["v_head_dim"] = compressed ? 6 : 8,
                ["intermediate_size"] = compressed ? 100 : 172,
                ["rope_pairs"] = pairs,
            });
        }

        return new JsonObject
        {
            ["format_version"] = 1,
            ["original_head_dim"] = 8,
            ["attention_scale"] = 0.35355339059327373,
            ["layers"] = layers,
        };
    }

    private static void AssertError(string path, string code, string named)
    {
        var error = Assert.Throws<A3InputException>(() => HuggingFaceConfigReader.Read(path));
        Assert.Equal(code, error.Code);
        Assert.Equal(path, error.FilePath);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.ToDiagnosticString(), StringComparison.Ordinal);
    }
}
