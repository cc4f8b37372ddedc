using A3.Tests;

namespace A3.OnnxRuntime.Tests;

/// <summary>What <see cref="OnnxDecoderModel.Load"/> reports for a folder it cannot run, before and at the graph.</summary>
public sealed class OnnxDecoderModelLoadTests
{
    private const string HfStories = "hf/stories260K-llama";

    [Fact]
    public void A_null_or_empty_folder_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => OnnxDecoderModel.Load(null!));
        Assert.Throws<ArgumentException>(() => OnnxDecoderModel.Load(string.Empty));
    }

    [Fact]
    public void A_missing_folder_is_A3002()
    {
        using var temp = new TemporaryFolder();
        var missing = temp.File("nothere");

        var error = Assert.Throws<A3InputException>(() => OnnxDecoderModel.Load(missing));
        Assert.Equal(A3ErrorCodes.FileNotFound, error.Code);
        Assert.Equal(missing, error.FilePath);
        Assert.Equal("no such exported model folder", error.Message);
    }

    [Fact]
    public void A_file_instead_of_a_folder_is_A3002()
    {
        using var temp = new TemporaryFolder();
        File.WriteAllText(temp.File("model.onnx"), "x");

        var error = Assert.Throws<A3InputException>(() => OnnxDecoderModel.Load(temp.File("model.onnx")));
        Assert.Equal(A3ErrorCodes.FileNotFound, error.Code);
        Assert.Contains("is a folder", error.Message);
    }

    [Fact]
    public void A_folder_without_model_onnx_is_A3002_naming_the_file()
    {
        using var temp = new TemporaryFolder();

        var error = Assert.Throws<A3InputException>(() => OnnxDecoderModel.Load(temp.Path));
        Assert.Equal(A3ErrorCodes.FileNotFound, error.Code);
        Assert.Equal(temp.File("model.onnx"), error.FilePath);
        Assert.Contains("a3 export", error.Message);
    }

    [Fact]
    public void A_folder_without_config_json_is_A3002()
    {
        using var temp = new TemporaryFolder();
        File.WriteAllText(temp.File("model.onnx"), "x");

        var error = Assert.Throws<A3InputException>(() => OnnxDecoderModel.Load(temp.Path));
        Assert.Equal(A3ErrorCodes.FileNotFound, error.Code);
        Assert.Equal(temp.File("config.json"), error.FilePath);
    }

    [Fact]
    public void A_malformed_config_json_is_A3011()
    {
        using var temp = new TemporaryFolder();
        File.WriteAllText(temp.File("model.onnx"), "x");
        File.WriteAllText(temp.File("config.json"), """{ "vocab_size": 512, "max_position_embeddings": "long" }""");

        var error = Assert.Throws<A3InputException>(() => OnnxDecoderModel.Load(temp.Path));
        Assert.Equal(A3ErrorCodes.InvalidModelConfig, error.Code);
        Assert.Contains("max_position_embeddings", error.Message);
    }

    [Fact]
    public void A_config_json_that_is_not_json_is_A3011()
    {
        using var temp = new TemporaryFolder();
        File.WriteAllText(temp.File("model.onnx"), "x");
        File.WriteAllText(temp.File("config.json"), "{ \"vocab_size\": 512, }");

        Assert.Equal(A3ErrorCodes.InvalidModelConfig, Assert.Throws<A3InputException>(() => OnnxDecoderModel.Load(temp.Path)).Code);
    }

    [Fact]
    public void A_folder_without_a_tokenizer_is_A3014()
    {
        using var temp = new TemporaryFolder();
        File.WriteAllText(temp.File("model.onnx"), "x");
        File.WriteAllText(temp.File("config.json"), """{ "vocab_size": 512, "max_position_embeddings": 512 }""");

        Assert.Equal(A3ErrorCodes.InvalidTokenizer, Assert.Throws<A3InputException>(() => OnnxDecoderModel.Load(temp.Path)).Code);
    }

    [SkippableFact]
    public void Another_models_tokenizer_is_A3014()
    {
        var source = Fixtures.Require(HfStories);
        using var temp = new TemporaryFolder();
        File.WriteAllText(temp.File("model.onnx"), "x");
        File.WriteAllText(temp.File("config.json"), """{ "vocab_size": 32000, "max_position_embeddings": 512 }""");
        File.Copy(Path.Combine(source, "tokenizer.model"), temp.File("tokenizer.model"));

        var error = Assert.Throws<A3InputException>(() => OnnxDecoderModel.Load(temp.Path));
        Assert.Equal(A3ErrorCodes.InvalidTokenizer, error.Code);
        Assert.Contains("vocab_size 32000", error.Message);
    }

    [SkippableFact]
    public void A_model_onnx_that_is_not_a_graph_is_A3022()
    {
        var source = Fixtures.Require(HfStories);
        using var temp = new TemporaryFolder();
        File.WriteAllText(temp.File("model.onnx"), "not a protobuf graph");
        File.Copy(Path.Combine(source, "config.json"), temp.File("config.json"));
        File.Copy(Path.Combine(source, "tokenizer.model"), temp.File("tokenizer.model"));

        var error = Assert.Throws<A3InputException>(() => OnnxDecoderModel.Load(temp.Path));
        Assert.Equal(A3ErrorCodes.InvalidOnnxModel, error.Code);
        Assert.Equal(temp.File("model.onnx"), error.FilePath);
        Assert.StartsWith("ONNX Runtime cannot load model.onnx: ", error.Message);
    }
}
