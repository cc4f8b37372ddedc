using Microsoft.ML.OnnxRuntime.Tensors;

namespace A3.OnnxRuntime.Tests;

/// <summary>The decoder graph contract checked against declared inputs and outputs, without a graph file.</summary>
public sealed class DecoderGraphContractTests
{
    private const string ModelPath = "/models/x/onnx/model.onnx";

    [Fact]
    public void Reads_the_cache_shape_of_each_layer_from_the_graph()
    {
        var (inputs, outputs) = Graph((4, 8, 8), (4, 6, 2));

        var contract = DecoderGraphContract.Read(inputs, outputs, ModelPath);

        Assert.Equal([new LayerCacheShape(4, 8, 8), new LayerCacheShape(4, 6, 2)], contract.Layers);
        Assert.Equal(512, contract.VocabSize);
    }

    [Fact]
    public void A_free_vocabulary_dimension_is_left_to_the_config()
    {
        var (inputs, outputs) = Graph((4, 8, 8));
        outputs[0] = outputs[0] with { Dimensions = [-1, -1, -1] };

        Assert.Null(DecoderGraphContract.Read(inputs, outputs, ModelPath).VocabSize);
    }

    [Theory]
    [InlineData("input_ids")]
    [InlineData("attention_mask")]
    [InlineData("position_ids")]
    public void A_missing_input_is_named(string name)
    {
        var (inputs, outputs) = Graph((4, 8, 8));
        inputs.RemoveAll(input => input.Name == name);

        var error = Invalid(inputs, outputs);
        Assert.Contains($"no input '{name}'", error.Message);
    }

    [Fact]
    public void Missing_logits_are_named()
    {
        var (inputs, outputs) = Graph((4, 8, 8));
        outputs.RemoveAt(0);

        Assert.Contains("no output 'logits'", Invalid(inputs, outputs).Message);
    }

    [Fact]
    public void Input_ids_must_be_int64()
    {
        var (inputs, outputs) = Graph((4, 8, 8));
        inputs[0] = inputs[0] with { ElementType = TensorElementType.Int32 };

        Assert.Contains("'input_ids' must be a rank-2 int64 tensor, but is a rank-2 int32 one", Invalid(inputs, outputs).Message);
    }

    [Fact]
    public void A_float16_cache_is_rejected()
    {
        var (inputs, outputs) = Graph((4, 8, 8));
        int index = inputs.FindIndex(input => input.Name == "past_key_values.0.key");
        inputs[index] = inputs[index] with { ElementType = TensorElementType.Float16 };

        Assert.Contains("'past_key_values.0.key' must be a rank-4 float32 tensor", Invalid(inputs, outputs).Message);
    }

    [Fact]
    public void A_layer_with_keys_but_no_values_is_named()
    {
        var (inputs, outputs) = Graph((4, 8, 8), (4, 8, 8));
        inputs.RemoveAll(input => input.Name == "past_key_values.1.value");

        Assert.Contains("no input 'past_key_values.1.value'", Invalid(inputs, outputs).Message);
    }

    [Fact]
    public void A_symbolic_head_dim_is_rejected()
    {
        var (inputs, outputs) = Graph((4, 8, 8));
        int index = inputs.FindIndex(input => input.Name == "past_key_values.0.value");
        inputs[index] = inputs[index] with { Dimensions = [-1, 4, -1, -1] };

        Assert.Contains("must fix its heads and head dim", Invalid(inputs, outputs).Message);
    }

    [Fact]
    public void Keys_and_values_must_have_the_same_heads()
    {
        var (inputs, outputs) = Graph((4, 8, 8));
        int index = inputs.FindIndex(input => input.Name == "past_key_values.0.value");
        inputs[index] = inputs[index] with { Dimensions = [-1, 2, -1, 8] };

        Assert.Contains("layer 0 caches keys of 4 heads but values of 2", Invalid(inputs, outputs).Message);
    }

    [Fact]
    public void A_present_of_another_shape_than_its_past_is_rejected()
    {
        var (inputs, outputs) = Graph((4, 8, 8));
        int index = outputs.FindIndex(output => output.Name == "present.0.key");
        outputs[index] = outputs[index] with { Dimensions = [-1, 4, -1, 6] };

        Assert.Contains("returns a cache of another shape than it takes", Invalid(inputs, outputs).Message);
    }

    [Fact]
    public void A_graph_without_a_cache_is_rejected()
    {
        var (inputs, outputs) = Graph();

        Assert.Contains("no key/value cache inputs", Invalid(inputs, outputs).Message);
    }

    [Fact]
    public void An_input_outside_the_contract_is_rejected_at_load()
    {
        var (inputs, outputs) = Graph((4, 8, 8));
        inputs.Add(new GraphTensor("token_type_ids", TensorElementType.Int64, [-1, -1]));

        Assert.Contains("input 'token_type_ids' that is not part of the decoder contract", Invalid(inputs, outputs).Message);
    }

    [Fact]
    public void A_layer_gap_leaves_an_unknown_input()
    {
        var (inputs, outputs) = Graph((4, 8, 8), (4, 8, 8), (4, 8, 8));
        inputs.RemoveAll(input => input.Name.StartsWith("past_key_values.1.", StringComparison.Ordinal));

        Assert.Contains("'past_key_values.2.key' that is not part of the decoder contract", Invalid(inputs, outputs).Message);
    }

    [Fact]
    public void Errors_name_the_graph_file()
    {
        var (inputs, outputs) = Graph();

        var error = Invalid(inputs, outputs);
        Assert.Equal(ModelPath, error.FilePath);
        Assert.StartsWith("model.onnx does not follow the A3 decoder graph contract: ", error.Message);
    }

    private static A3InputException Invalid(List<GraphTensor> inputs, List<GraphTensor> outputs)
    {
        var error = Assert.Throws<A3InputException>(() => DecoderGraphContract.Read(inputs, outputs, ModelPath));
        Assert.Equal(A3ErrorCodes.InvalidOnnxModel, error.Code);
        return error;
    }

    /// <summary>Declares the inputs and outputs of an exported graph with the given (kv heads, key dim, value dim) per layer.</summary>
    private static (List<GraphTensor> Inputs, List<GraphTensor> Outputs) Graph(params (int Heads, int Key, int Value)[] layers)
    {
        var inputs = new List<GraphTensor>
        {
            new("input_ids", TensorElementType.Int64, [-1, -1]),
            new("attention_mask", TensorElementType.Int64, [-1, -1]),
            new("position_ids", TensorElementType.Int64, [-1, -1]),
        };
        var outputs = new List<GraphTensor> { new("logits", TensorElementType.Float, [-1, -1, 512]) };
        for (int i = 0; i < layers.Length; i++)
        {
            var (heads, key, value) = layers[i];
            inputs.Add(new($"past_key_values.{i}.key", TensorElementType.Float, [-1, heads, -1, key]));
            inputs.Add(new($"past_key_values.{i}.value", TensorElementType.Float, [-1, heads, -1, value]));
            outputs.Add(new($"present.{i}.key", TensorElementType.Float, [-1, heads, -1, key]));
            outputs.Add(new($"present.{i}.value", TensorElementType.Float, [-1, heads, -1, value]));
        }

        return (inputs, outputs);
    }
}
