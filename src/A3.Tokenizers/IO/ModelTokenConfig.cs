using System.Text.Json;
using System.Text.Json.Nodes;
using A3.Recipes;

namespace A3.IO;

/// <summary>
/// What a model's <c>config.json</c> says about its tokens: vocabulary size, context length and the BOS/EOS ids.
/// The one reader of these fields, used by A3.Runtime's full config reader and by runtimes that need nothing
/// more (A3.OnnxRuntime), so both read them, and reject them, alike.
/// </summary>
/// <param name="VocabSize">The <c>vocab_size</c>.</param>
/// <param name="MaxPositionEmbeddings">The <c>max_position_embeddings</c>: the context length the model was trained for.</param>
/// <param name="BosTokenId">The <c>bos_token_id</c> (the first, when it is a list), when declared.</param>
/// <param name="EosTokenIds">Every <c>eos_token_id</c> (one, a list, or none).</param>
internal sealed record ModelTokenConfig(int VocabSize, int MaxPositionEmbeddings, int? BosTokenId, IReadOnlyList<int> EosTokenIds)
{
    /// <summary>Reads the token fields of the <c>config.json</c> in <paramref name="modelFolder"/>.</summary>
    /// <param name="modelFolder">The model folder.</param>
    /// <returns>The fields.</returns>
    /// <exception cref="A3InputException">
    /// The file is missing (<see cref="A3ErrorCodes.FileNotFound"/>) or malformed (<see cref="A3ErrorCodes.InvalidModelConfig"/>).
    /// </exception>
    public static ModelTokenConfig ReadFolder(string modelFolder)
    {
        ArgumentNullException.ThrowIfNull(modelFolder);
        var path = Path.Combine(modelFolder, ModelFiles.ConfigFileName);
        InputFiles.Require(path, "the model config file does not exist.");
        return Read(ParseDocument(File.ReadAllText(path), path));
    }

    /// <summary>Parses the text of a <c>config.json</c> document, strictly (no comments, trailing commas or duplicate keys).</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourcePath">The file the text came from, named in errors.</param>
    /// <returns>The document's root object, with errors coded <see cref="A3ErrorCodes.InvalidModelConfig"/>.</returns>
    /// <exception cref="A3InputException">The text is not a JSON object.</exception>
    public static ConfigJson ParseDocument(string json, string sourcePath)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new A3InputException(A3ErrorCodes.InvalidModelConfig, $"the model config is not valid JSON: {e.Message}", sourcePath, e);
        }

        if (root is not JsonObject rootObject)
        {
            throw new A3InputException(A3ErrorCodes.InvalidModelConfig, "the model config must be a JSON object.", sourcePath);
        }

        return new ConfigJson(rootObject, sourcePath, A3ErrorCodes.InvalidModelConfig, string.Empty);
    }

    /// <summary>Reads the token fields of a parsed <c>config.json</c>.</summary>
    /// <param name="config">The document.</param>
    /// <returns>The fields.</returns>
    /// <exception cref="A3InputException">A field is missing, of the wrong type or out of range.</exception>
    public static ModelTokenConfig Read(ConfigJson config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var vocabSize = config.RequiredInt("vocab_size", 1);
        var maxPositions = config.RequiredInt("max_position_embeddings", 1);
        var bos = TokenIds(config, "bos_token_id");
        return new ModelTokenConfig(vocabSize, maxPositions, bos.Count > 0 ? bos[0] : null, TokenIds(config, "eos_token_id"));
    }

    private static List<int> TokenIds(ConfigJson config, string field)
    {
        // Hugging Face allows a list (Llama 3 ends generation on any of several ids).
        if (config.Object[field] is JsonArray ids)
        {
            var result = new List<int>(ids.Count);
            foreach (var item in ids)
            {
                if (item is JsonValue value && value.TryGetValue<JsonElement>(out var element)
                    && element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var id) && id >= 0)
                {
                    result.Add(id);
                }
                else
                {
                    throw config.Error($"'{field}' must be a token id or a list of token ids, but is {ids.ToJsonString()}.");
                }
            }

            return result;
        }

        var single = config.OptionalInt(field);
        if (single < 0)
        {
            throw config.Error($"'{field}' must not be negative, but is {single}.");
        }

        return single is int one ? [one] : [];
    }
}
