using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using NJsonSchema;
using NJsonSchema.Generation;

namespace A3.Recipes;

/// <summary>The JSON Schema of recipes, generated from the recipe types (checked in as <c>schemas/a3-recipe.schema.json</c>).</summary>
public static class RecipeSchema
{
    /// <summary>The schema's URL inside the repository, for the <c># yaml-language-server: $schema=</c> line.</summary>
    public const string RepositoryPath = "schemas/a3-recipe.schema.json";

    /// <summary>Generates the schema: snake_case keys, enums as their recipe spellings, descriptions from the types' <see cref="System.ComponentModel.DescriptionAttribute"/>s.</summary>
    /// <returns>The schema as indented JSON with <c>\n</c> line ends.</returns>
    public static string Generate()
    {
        var settings = new SystemTextJsonSchemaGeneratorSettings
        {
            SerializerOptions = new JsonSerializerOptions
            {
                PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
                Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
            },
            SchemaType = SchemaType.JsonSchema,

            // XML docs are not always beside the assembly (a packed tool, an analyzer host); attributes always are.
            UseXmlDocumentation = false,
            DefaultReferenceTypeNullHandling = ReferenceTypeNullHandling.NotNull,
            GenerateEnumMappingDescription = false,
        };
        var schema = JsonSchema.FromType<Recipe>(settings);
        schema.Title = "A3 recipe";

        // BaseDirectory is where a parsed recipe came from, not something a recipe states.
        schema.Properties.Remove("base_directory");
        schema.Properties.Remove("default_output_path");
        schema.Properties["name"].Pattern = "^[A-Za-z0-9][A-Za-z0-9._-]*$";
        Require(schema, "version", "name", "model", "calibration", "compression");
        schema.Properties["version"].Enumeration.Add(Recipe.CurrentVersion);
        schema.Properties["device"].Pattern = "^(cpu|cuda|auto|cuda:[0-9]+)$";
        foreach (var definition in schema.Definitions)
        {
            var type = definition.Value;
            if (definition.Key == nameof(CalibrationSection))
            {
                Range(type, 1, "samples", "sequence_length", "take", "selection_samples");
                Range(type, 0, "skip");
                Maximum(type, RecipeValidator.MaxWindows, "samples", "selection_samples");
                Maximum(type, RecipeValidator.MaxWindowTokens, "sequence_length");
                type.Properties["token_width"].Enumeration.Add(2);
                type.Properties["token_width"].Enumeration.Add(4);
            }

            if (definition.Key == nameof(OutputSection))
            {
                type.Properties["formats"].MinItems = 1;
                type.Properties["formats"].UniqueItems = true;
            }

            if (definition.Key == nameof(EvaluationSection))
            {
                Range(type, 1, "max_docs", "seq_len", "max_windows");
                Range(type, 0, "skip_docs");
                Maximum(type, RecipeValidator.MaxWindowTokens, "seq_len");
            }

            if (definition.Key == nameof(CompressionSection) || definition.Key == nameof(LayerOverride))
            {
                // Ratios are in [0, 1): removing everything is not a compression.
                foreach (var ratio in new[] { "qk", "ov", "mlp" })
                {
                    type.Properties[ratio].Minimum = 0;
                    type.Properties[ratio].Maximum = 1;
                    type.Properties[ratio].IsExclusiveMaximum = true;
                }
            }

            if (definition.Key == nameof(CompressionSection))
            {
                var budget = type.Properties["budget"];
                budget.Minimum = 0;
                budget.IsExclusiveMinimum = true;
                budget.Maximum = 1;
                budget.IsExclusiveMaximum = true;
                Range(type, 1, "round_to");
            }

            if (definition.Key == nameof(CalibrationSection) || definition.Key == nameof(EvaluationSection))
            {
                Require(type, "data");
            }

            if (definition.Key == nameof(LayerOverride))
            {
                // First and Last are parsed from layers, not written.
                type.Properties.Remove("first");
                type.Properties.Remove("last");
                Require(type, "layers");

                // A single layer is naturally written unquoted (layers: 3), which YAML reads as a number.
                var layers = type.Properties["layers"];
                layers.Type = JsonObjectType.String | JsonObjectType.Integer;
                layers.Pattern = @"^\s*\d+\s*(-\s*\d+\s*)?$";
            }
        }

        return schema.ToJson().Replace("\r\n", "\n");
    }

    private static void Range(JsonSchema type, decimal minimum, params string[] names)
    {
        foreach (var name in names)
        {
            type.Properties[name].Minimum = minimum;
        }
    }

    private static void Maximum(JsonSchema type, decimal maximum, params string[] names)
    {
        foreach (var name in names)
        {
            type.Properties[name].Maximum = maximum;
        }
    }

    private static void Require(JsonSchema schema, params string[] names)
    {
        foreach (var name in names.Where(n => !schema.RequiredProperties.Contains(n)))
        {
            schema.RequiredProperties.Add(name);
        }
    }
}
