using System.Text.Json;
using A3.IO;
using A3.Recipes;

namespace A3.Tokenizers;

/// <summary>
/// What a model's tokenizer files declare about BOS and EOS: <c>tokenizer_config.json</c>
/// (<c>bos_token</c>, <c>eos_token</c>, <c>add_bos_token</c>), the <c>TemplateProcessing</c> post-processor
/// of <c>tokenizer.json</c>, and <c>generation_config.json</c> (<c>bos_token_id</c>, <c>eos_token_id</c>).
/// The ids are never guessed from the vocabulary: a model whose files declare no BOS gets none.
/// </summary>
internal sealed class SpecialTokenDeclarations
{
    private const string GenerationConfigFileName = "generation_config.json";

    /// <summary>Gets or sets the <c>tokenizer_config.json</c> read, when there was one.</summary>
    public string? TokenizerConfigPath { get; set; }

    /// <summary>Gets or sets a value indicating whether <c>bos_token</c> is present (possibly null).</summary>
    public bool BosTokenDeclared { get; set; }

    /// <summary>Gets or sets the content of <c>bos_token</c>; null when declared null or absent.</summary>
    public string? BosToken { get; set; }

    /// <summary>Gets or sets a value indicating whether <c>eos_token</c> is present (possibly null).</summary>
    public bool EosTokenDeclared { get; set; }

    /// <summary>Gets or sets the content of <c>eos_token</c>; null when declared null or absent.</summary>
    public string? EosToken { get; set; }

    /// <summary>Gets or sets <c>add_bos_token</c>, when declared.</summary>
    public bool? AddBosToken { get; set; }

    /// <summary>Gets or sets a value indicating whether <c>tokenizer.json</c> has a <c>TemplateProcessing</c> post-processor.</summary>
    public bool HasTemplate { get; set; }

    /// <summary>Gets or sets the id the template's single-sequence form puts before the text, when it puts one.</summary>
    public int? TemplateBosId { get; set; }

    /// <summary>Gets or sets the <c>generation_config.json</c> read, when there was one.</summary>
    public string? GenerationConfigPath { get; set; }

    /// <summary>Gets or sets <c>generation_config.json</c>'s <c>bos_token_id</c>.</summary>
    public int? GenerationBosId { get; set; }

    /// <summary>Gets or sets <c>generation_config.json</c>'s <c>eos_token_id</c> (the first, when it is a list).</summary>
    public int? GenerationEosId { get; set; }

    /// <summary>Reads the declarations of the configuration files in <paramref name="folder"/> (those present).</summary>
    /// <exception cref="A3InputException">A configuration file is not valid JSON.</exception>
    public static SpecialTokenDeclarations ReadFolder(string folder)
    {
        var declarations = new SpecialTokenDeclarations();
        var configPath = Path.Combine(folder, ModelFiles.TokenizerConfigFileName);
        if (File.Exists(configPath))
        {
            using var config = ParseFile(configPath);
            var root = config.RootElement;
            declarations.TokenizerConfigPath = configPath;
            (declarations.BosTokenDeclared, declarations.BosToken) = TokenContent(root, "bos_token", configPath);
            (declarations.EosTokenDeclared, declarations.EosToken) = TokenContent(root, "eos_token", configPath);
            if (root.TryGetProperty("add_bos_token", out var addBos) && addBos.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                declarations.AddBosToken = addBos.GetBoolean();
            }
        }

        var generationPath = Path.Combine(folder, GenerationConfigFileName);
        if (File.Exists(generationPath))
        {
            using var generation = ParseFile(generationPath);
            declarations.GenerationConfigPath = generationPath;
            declarations.GenerationBosId = FirstId(generation.RootElement, "bos_token_id", generationPath);
            declarations.GenerationEosId = FirstId(generation.RootElement, "eos_token_id", generationPath);
        }

        return declarations;
    }

    /// <summary>Records the BOS a <c>tokenizer.json</c> post-processor adds (a <c>TemplateProcessing</c>, alone or inside a <c>Sequence</c>).</summary>
    /// <exception cref="FormatException">The template names a special token it does not define.</exception>
    public void ReadPostProcessor(JsonElement? postProcessor)
    {
        if (postProcessor is not { ValueKind: JsonValueKind.Object } processor || !processor.TryGetProperty("type", out var type))
        {
            return;
        }

        if (type.GetString() == "Sequence" && processor.TryGetProperty("processors", out var inner) && inner.ValueKind == JsonValueKind.Array)
        {
            foreach (var step in inner.EnumerateArray())
            {
                ReadPostProcessor(step);
            }

            return;
        }

        if (type.GetString() != "TemplateProcessing" || !processor.TryGetProperty("single", out var single) || single.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        HasTemplate = true;
        var first = single.EnumerateArray().FirstOrDefault();
        if (first.ValueKind != JsonValueKind.Object || !first.TryGetProperty("SpecialToken", out var special))
        {
            return;
        }

        var name = special.GetProperty("id").GetString()!;
        if (!processor.TryGetProperty("special_tokens", out var defined) || !defined.TryGetProperty(name, out var definition)
            || definition.GetProperty("ids").GetArrayLength() == 0)
        {
            throw new FormatException($"the TemplateProcessing post-processor starts with special token '{name}', which its special_tokens do not define");
        }

        TemplateBosId = definition.GetProperty("ids")[0].GetInt32();
    }

    /// <summary>
    /// Resolves BOS and EOS. BOS: <c>add_bos_token</c> when declared (false: none; true: <c>bos_token</c>);
    /// else the <c>TemplateProcessing</c> post-processor's leading token, or none when it adds none; else
    /// <c>bos_token</c> when declared (null: none); else <c>generation_config.json</c>'s <c>bos_token_id</c>;
    /// else <paramref name="formatBos"/>, what the tokenizer file itself declares (a SentencePiece model's
    /// <c>bos_id</c>). EOS: <c>eos_token</c>, else <c>generation_config.json</c>'s <c>eos_token_id</c>, else
    /// <paramref name="formatEos"/>.
    /// </summary>
    /// <param name="idOf">Returns the id of a token's content, or null when the tokenizer does not have it.</param>
    /// <param name="vocabSize">The tokenizer's number of ids.</param>
    /// <param name="formatBos">The BOS the tokenizer file declares itself, if any.</param>
    /// <param name="formatEos">The EOS the tokenizer file declares itself, if any.</param>
    /// <param name="tokenizerPath">The tokenizer file, for messages.</param>
    /// <exception cref="A3InputException">A declared token is not in the tokenizer.</exception>
    public (int? Bos, int? Eos) Resolve(Func<string, int?> idOf, int vocabSize, int? formatBos, int? formatEos, string tokenizerPath)
    {
        int? bos;
        if (AddBosToken is bool add)
        {
            bos = !add ? null : BosToken is not null ? Lookup(BosToken, "bos_token") : TemplateBosId ?? GenerationId(GenerationBosId, "bos_token_id") ?? formatBos;
        }
        else if (HasTemplate)
        {
            bos = TemplateBosId;
        }
        else if (BosTokenDeclared)
        {
            bos = BosToken is null ? null : Lookup(BosToken, "bos_token");
        }
        else
        {
            bos = GenerationId(GenerationBosId, "bos_token_id") ?? formatBos;
        }

        var eos = EosToken is not null ? Lookup(EosToken, "eos_token") : GenerationId(GenerationEosId, "eos_token_id") ?? formatEos;
        if (bos is int b && (uint)b >= (uint)vocabSize)
        {
            throw new A3InputException(
                A3ErrorCodes.InvalidTokenizer, $"the BOS id {b} declared for tokenizer '{tokenizerPath}' is outside its {vocabSize} ids.", tokenizerPath);
        }

        return (bos, eos);

        int Lookup(string content, string key) =>
            idOf(content) ?? throw new A3InputException(
                A3ErrorCodes.InvalidTokenizer,
                $"{(TokenizerConfigPath is { } config ? $"'{config}' declares" : "the declared")} {key} '{content}', which tokenizer '{tokenizerPath}' does not contain.",
                TokenizerConfigPath ?? tokenizerPath);

        int? GenerationId(int? id, string key) =>
            id is not int value ? null
            : (uint)value < (uint)vocabSize ? value
            : throw new A3InputException(
                A3ErrorCodes.InvalidTokenizer,
                $"'{GenerationConfigPath}' declares {key} {value}, outside the {vocabSize} ids of tokenizer '{tokenizerPath}'.",
                GenerationConfigPath);
    }

    private static JsonDocument ParseFile(string path)
    {
        // A FIFO or a device in a model folder would block or never end; every file is checked before it is read.
        InputFiles.Require(path, $"'{path}' does not exist.");
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException ex)
        {
            throw new A3InputException(A3ErrorCodes.InvalidTokenizer, $"'{path}' is not valid JSON: {ex.Message}", path, ex);
        }
    }

    private static (bool Declared, string? Content) TokenContent(JsonElement config, string property, string path)
    {
        if (!config.TryGetProperty(property, out var value))
        {
            return (false, null);
        }

        return value.ValueKind switch
        {
            JsonValueKind.Null => (true, null),
            JsonValueKind.String => (true, value.GetString()),
            JsonValueKind.Object when value.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String => (true, content.GetString()),
            _ => throw new A3InputException(A3ErrorCodes.InvalidTokenizer, $"'{path}' has a {property} that is neither a string, an object with content, nor null.", path),
        };
    }

    private static int? FirstId(JsonElement config, string property, string path)
    {
        if (!config.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var first = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().FirstOrDefault() : value;
        return first.ValueKind == JsonValueKind.Number && first.TryGetInt32(out var id) ? id
            : value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0 ? null
            : throw new A3InputException(A3ErrorCodes.InvalidTokenizer, $"'{path}' has a {property} that is not an integer id or a list of them.", path);
    }
}
