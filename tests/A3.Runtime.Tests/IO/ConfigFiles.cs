using System.Text.Json.Nodes;

namespace A3.Runtime.Tests.IO;

/// <summary>A temporary folder holding test config.json variants, deleted on dispose.</summary>
internal sealed class ConfigFiles : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("a3-config-").FullName;
    private int count;

    /// <summary>The stories260K-like Llama config, written inline so the malformed-input tests need no fixture.</summary>
    public static JsonObject Stories260K() => new()
    {
        ["architectures"] = new JsonArray("LlamaForCausalLM"),
        ["model_type"] = "llama",
        ["hidden_size"] = 64,
        ["intermediate_size"] = 172,
        ["num_hidden_layers"] = 5,
        ["num_attention_heads"] = 8,
        ["num_key_value_heads"] = 4,
        ["head_dim"] = 8,
        ["vocab_size"] = 512,
        ["max_position_embeddings"] = 512,
        ["rms_norm_eps"] = 1e-05,
        ["rope_theta"] = 10000.0,
        ["hidden_act"] = "silu",
        ["tie_word_embeddings"] = true,
        ["attention_bias"] = false,
        ["mlp_bias"] = false,
        ["bos_token_id"] = 1,
        ["eos_token_id"] = 2,
        ["torch_dtype"] = "float32",
    };

    public string Folder => folder;

    public string Write(JsonObject config) => WriteText(config.ToJsonString());

    public string Write(Action<JsonObject> edit)
    {
        var config = Stories260K();
        edit(config);
        return Write(config);
    }

    public string WriteText(string text)
    {
        var path = Path.Combine(folder, $"config{++count}.json");
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
