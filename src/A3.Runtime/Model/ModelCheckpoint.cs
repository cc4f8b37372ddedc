using A3.Recipes;
using A3.Runtime.IO;
using A3.Runtime.Native;
using A3.Tokenizers;
using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>
/// A model on disk, opened: its configuration, its weights (memory-mapped where the format
/// allows) and its tokenizer. Accepts a Hugging Face folder (<c>config.json</c> + safetensors,
/// compressed A3 models included) or a llama2.c <c>.bin</c> file.
/// </summary>
public sealed class ModelCheckpoint : IDisposable
{
    private ModelCheckpoint(string path, ModelConfig config, IWeightSource weights, ITokenizer tokenizer)
    {
        Path = path;
        Config = config;
        Weights = weights;
        Tokenizer = tokenizer;
    }

    /// <summary>Gets the folder or file the model was opened from.</summary>
    public string Path { get; }

    /// <summary>Gets the model configuration.</summary>
    public ModelConfig Config { get; }

    /// <summary>Gets the weights.</summary>
    public IWeightSource Weights { get; }

    /// <summary>Gets the tokenizer.</summary>
    public ITokenizer Tokenizer { get; }

    /// <summary>Opens the model at <paramref name="path"/>.</summary>
    /// <exception cref="A3InputException">
    /// The path does not exist or holds no supported model, or its tokenizer has more ids than the model's
    /// vocab_size or covers less than half of it; the message names the file.
    /// </exception>
    public static ModelCheckpoint Open(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        if (InputFile.Problem(fullPath) is { } problem)
        {
            // Before the tokenizer beside it is looked for, which would blame the tokenizer.
            throw new A3InputException(A3ErrorCodes.FileNotFound, $"the model {problem}", fullPath);
        }

        if (Directory.Exists(fullPath))
        {
            var configPath = System.IO.Path.Combine(fullPath, ModelFiles.ConfigFileName);
            if (!File.Exists(configPath))
            {
                throw new A3InputException(A3ErrorCodes.FileNotFound, "the model folder has no config.json (expected a Hugging Face model folder)", fullPath);
            }

            var config = HuggingFaceConfigReader.Read(configPath);
            var (tokenizer, tokenizerPath) = TokenizerLoader.LoadWithPath(fullPath);
            TokenizerVocabularyCheck.Verify(tokenizer, tokenizerPath, config.VocabSize, configPath);
            return new ModelCheckpoint(fullPath, config, SafetensorsWeightSource.Open(fullPath), tokenizer);
        }

        if (File.Exists(fullPath))
        {
            var (tokenizer, tokenizerPath) = TokenizerLoader.LoadWithPath(fullPath);
            var model = Llama2cCheckpoint.Read(fullPath);
            TokenizerVocabularyCheck.Verify(tokenizer, tokenizerPath, model.Config.VocabSize, fullPath);
            return new ModelCheckpoint(fullPath, model.Config, model.Weights, tokenizer);
        }

        throw new A3InputException(A3ErrorCodes.FileNotFound, "no such model folder or file", fullPath);
    }

    /// <summary>
    /// Checks from the stored headers that every tensor the configuration implies exists with its
    /// shape, without reading weights or loading the native backend: a pre-flight for long jobs.
    /// </summary>
    /// <exception cref="A3InputException">A tensor is missing or misshapen; the message names it.</exception>
    public void VerifyTensors() => ModelTensorShapes.Verify(Config, Weights, Path);

    /// <summary>Builds the decoder on <paramref name="device"/> in <paramref name="dtype"/>.</summary>
    public DecoderModel CreateModel(torch.Device device, torch.ScalarType dtype)
    {
        TorchNative.EnsureLoaded();
        return DecoderModel.Load(Config, Weights, device, dtype);
    }

    /// <inheritdoc />
    public void Dispose() => Weights.Dispose();
}
