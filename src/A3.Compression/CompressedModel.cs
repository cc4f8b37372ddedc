using A3.Runtime.Reporting;
using A3.Runtime.IO;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Compression;

/// <summary>A compressed model held in memory: configuration, every tensor (float32, CPU) and the report.</summary>
public sealed class CompressedModel : IDisposable
{
    private readonly Dictionary<string, torch.Tensor> tensors;

    internal CompressedModel(ModelConfig config, Dictionary<string, torch.Tensor> tensors, CompressionReport report)
    {
        Config = config;
        this.tensors = tensors;
        Report = report;
    }

    /// <summary>Gets the compressed configuration.</summary>
    public ModelConfig Config { get; }

    /// <summary>Gets the report.</summary>
    public CompressionReport Report { get; }

    /// <summary>Gets the tensors by Hugging Face name.</summary>
    public IReadOnlyDictionary<string, torch.Tensor> Tensors => tensors;

    /// <summary>Writes the model folder atomically (see docs/FORMAT.md), copying the tokenizer from <paramref name="tokenizerSourcePath"/>.</summary>
    public void Write(string folder, string tokenizerSourcePath, torch.ScalarType outputType, CancellationToken cancellationToken = default) =>
        ModelFolderWriter.Write(folder, Config, tensors, tokenizerSourcePath, outputType, cancellationToken: cancellationToken);

    /// <summary>Builds a runnable decoder from the tensors in memory (copies them).</summary>
    public DecoderModel CreateModel(torch.Device device, torch.ScalarType dtype)
    {
        using var source = new InMemoryWeightSource(tensors.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.clone())));
        return DecoderModel.Load(Config, source, device, dtype);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }

        tensors.Clear();
    }
}
