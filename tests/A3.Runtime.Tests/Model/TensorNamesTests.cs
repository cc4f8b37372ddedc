using A3.Runtime.IO;
using A3.Runtime.Model;
using A3.Runtime.Tests.IO;
using A3.Tests;

namespace A3.Runtime.Tests.Model;

/// <summary>
/// <see cref="TensorNames"/> against Hugging Face's spelling, written out here by hand so that a wrong
/// table fails; and <see cref="ModelTensorShapes.Expected"/> against the table and real checkpoints.
/// </summary>
public sealed class TensorNamesTests
{
    public static TheoryData<string, string, string> ProjectionSpellings => new()
    {
        { nameof(LayerTensorNames.Query), "self_attn", "q_proj" },
        { nameof(LayerTensorNames.Key), "self_attn", "k_proj" },
        { nameof(LayerTensorNames.Value), "self_attn", "v_proj" },
        { nameof(LayerTensorNames.Output), "self_attn", "o_proj" },
        { nameof(LayerTensorNames.Gate), "mlp", "gate_proj" },
        { nameof(LayerTensorNames.Up), "mlp", "up_proj" },
        { nameof(LayerTensorNames.Down), "mlp", "down_proj" },
    };

    [Fact]
    public void The_global_tensors_have_hugging_faces_names()
    {
        Assert.Equal("model.embed_tokens.weight", TensorNames.Embeddings);
        Assert.Equal("model.norm.weight", TensorNames.FinalNorm);
        Assert.Equal("lm_head.weight", TensorNames.LmHead);
    }

    [Fact]
    public void A_layers_norms_have_hugging_faces_names()
    {
        var layer = TensorNames.Layer(12);

        Assert.Equal(12, layer.Index);
        Assert.Equal("model.layers.12.input_layernorm.weight", layer.InputNorm);
        Assert.Equal("model.layers.12.post_attention_layernorm.weight", layer.PostAttentionNorm);
        Assert.Equal("model.layers.0.input_layernorm.weight", TensorNames.Layer(0).InputNorm);
    }

    [Theory]
    [MemberData(nameof(ProjectionSpellings))]
    public void Every_name_of_a_projection_has_hugging_faces_spelling(string property, string module, string shortName)
    {
        var layer = TensorNames.Layer(12);
        var projection = Select(layer, property);
        var stem = $"model.layers.12.{module}.{shortName}";

        Assert.Equal(shortName, projection.Name);
        Assert.Equal(stem + ".weight", projection.Weight);
        Assert.Equal(stem + ".bias", projection.Bias);
        Assert.Equal(stem + ".weight_a", projection.WeightA);
        Assert.Equal(stem + ".weight_b", projection.WeightB);
        Assert.Same(projection, layer.Projection(shortName));
    }

    [Fact]
    public void Spot_checks_read_exactly_as_a_hugging_face_state_dict()
    {
        Assert.Equal("model.layers.3.self_attn.q_proj.weight", TensorNames.Layer(3).Query.Weight);
        Assert.Equal("model.layers.3.self_attn.k_proj.bias", TensorNames.Layer(3).Key.Bias);
        Assert.Equal("model.layers.3.mlp.down_proj.weight_a", TensorNames.Layer(3).Down.WeightA);
        Assert.Equal("model.layers.3.mlp.gate_proj.weight_b", TensorNames.Layer(3).Gate.WeightB);
    }

    [Fact]
    public void Projections_are_listed_in_layer_order()
    {
        string[] expected = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];
        var layer = TensorNames.Layer(1);

        Assert.Equal(expected, TensorNames.Projections);
        Assert.Equal(expected, layer.Projections.Select(projection => projection.Name));
        Assert.Equal([layer.Query, layer.Key, layer.Value, layer.Output, layer.Gate, layer.Up, layer.Down], layer.Projections);
    }

    [Theory]
    [InlineData("q_proj", true)]
    [InlineData("down_proj", true)]
    [InlineData("Q_PROJ", false)]
    [InlineData("self_attn.q_proj", false)]
    [InlineData("wq", false)]
    public void IsProjection_accepts_the_seven_short_names_only(string projection, bool expected)
    {
        Assert.Equal(expected, TensorNames.IsProjection(projection));
    }

    [Fact]
    public void An_unknown_projection_or_a_negative_layer_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => TensorNames.Layer(0).Projection("w1"));
        Assert.Contains("'w1'", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorNames.Layer(-1));
    }

    [Theory]
    [InlineData("model.layers.0.self_attn.q_proj.weight", true)]
    [InlineData("model.layers.7.mlp.down_proj.weight_b", true)]
    [InlineData("model.layers.7.self_attn.v_proj.bias", true)]
    [InlineData("model.layers.0.self_attn.rotary_emb.inv_freq", true)]
    [InlineData("model.layers.0.input_layernorm.weight", false)]
    [InlineData("model.layers.0.post_attention_layernorm.weight", false)]
    [InlineData("model.embed_tokens.weight", false)]
    [InlineData("model.norm.weight", false)]
    [InlineData("lm_head.weight", false)]
    public void IsInAttentionOrMlp_covers_a_layers_attention_and_mlp_modules_only(string name, bool expected)
    {
        Assert.Equal(expected, TensorNames.IsInAttentionOrMlp(name));
    }

    [Fact]
    public void The_shape_table_names_exactly_the_tables_tensors_with_biases_factors_and_a_head()
    {
        var dense = TestConfigs.Compressed(bias: true, tied: false);
        var layers = dense.Layers.ToArray();
        layers[1] = layers[1] with { FactorizedRanks = new Dictionary<string, int> { ["q_proj"] = 3, ["down_proj"] = 4 } };
        var config = dense with { Layers = layers };

        var expected = ModelTensorShapes.Expected(config);

        Assert.Equal(NamesFromTable(config), expected.Keys.Order(StringComparer.Ordinal));

        // Embeddings, final norm, head; per layer 2 norms, 7 projections, 3 biases; layer 1 has two factorised projections (+2).
        Assert.Equal(3 + (2 * 12) + 2, expected.Count);
        Assert.Contains("model.layers.1.self_attn.q_proj.weight_a", expected.Keys);
        Assert.Contains("model.layers.1.mlp.down_proj.weight_b", expected.Keys);
        Assert.DoesNotContain("model.layers.1.self_attn.q_proj.weight", expected.Keys);
        Assert.Contains("model.layers.0.self_attn.q_proj.weight", expected.Keys);
        Assert.Contains("model.layers.0.self_attn.v_proj.bias", expected.Keys);
        Assert.Equal([3L, TestConfigs.Hidden], expected["model.layers.1.self_attn.q_proj.weight_a"]);
    }

    [Fact]
    public void The_shape_table_names_no_head_and_no_bias_when_the_config_has_neither()
    {
        var config = TestConfigs.Full(bias: false, tied: true);

        var expected = ModelTensorShapes.Expected(config);

        Assert.Equal(NamesFromTable(config), expected.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2 + (2 * 9), expected.Count);
        Assert.DoesNotContain("lm_head.weight", expected.Keys);
        Assert.DoesNotContain(expected.Keys, name => name.EndsWith(".bias", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void The_shape_table_names_exactly_the_tensors_of_the_hugging_face_fixture()
    {
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require(Stories260KVariants.HfFixture));

        Assert.Equal(checkpoint.Weights.Names.Order(StringComparer.Ordinal), ModelTensorShapes.Expected(checkpoint.Config).Keys.Order(StringComparer.Ordinal));
    }

    [SkippableTheory]
    [InlineData("llama2c/stories260K/stories260K.bin")]
    [InlineData("llama2c/aidreams260K/aidreams260K.bin")]
    public void The_llama2c_import_names_exactly_the_tensors_of_the_shape_table(string fixture)
    {
        using var model = Llama2cCheckpoint.Read(Fixtures.Require(fixture));

        Assert.Equal(ModelTensorShapes.Expected(model.Config).Keys.Order(StringComparer.Ordinal), model.Weights.Names.Order(StringComparer.Ordinal));
    }

    /// <summary>The names a configuration needs, composed from the table's members (not from its own loops).</summary>
    private static IEnumerable<string> NamesFromTable(ModelConfig config)
    {
        var names = new List<string> { TensorNames.Embeddings, TensorNames.FinalNorm };
        if (!config.TieWordEmbeddings)
        {
            names.Add(TensorNames.LmHead);
        }

        for (var i = 0; i < config.NumLayers; i++)
        {
            var layer = TensorNames.Layer(i);
            names.Add(layer.InputNorm);
            names.Add(layer.PostAttentionNorm);
            foreach (var projection in new[] { layer.Query, layer.Key, layer.Value, layer.Output, layer.Gate, layer.Up, layer.Down })
            {
                names.AddRange(config.Layers[i].FactorizedRanks.ContainsKey(projection.Name) ? [projection.WeightA, projection.WeightB] : [projection.Weight]);
            }

            if (config.AttentionBias)
            {
                names.AddRange([layer.Query.Bias, layer.Key.Bias, layer.Value.Bias]);
            }
        }

        return names.Order(StringComparer.Ordinal);
    }

    private static ProjectionTensorNames Select(LayerTensorNames layer, string property) => property switch
    {
        nameof(LayerTensorNames.Query) => layer.Query,
        nameof(LayerTensorNames.Key) => layer.Key,
        nameof(LayerTensorNames.Value) => layer.Value,
        nameof(LayerTensorNames.Output) => layer.Output,
        nameof(LayerTensorNames.Gate) => layer.Gate,
        nameof(LayerTensorNames.Up) => layer.Up,
        nameof(LayerTensorNames.Down) => layer.Down,
        _ => throw new ArgumentOutOfRangeException(nameof(property), property, null),
    };
}
