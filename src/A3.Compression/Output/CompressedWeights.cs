using A3.Runtime;
using A3.Runtime.IO;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Compression.Output;

/// <summary>
/// The weights of a compressed model without holding them: the compressed layers' tensors from a
/// <see cref="CompressedLayerSpool"/>, every other tensor (embeddings, norms, LM head) straight from the source
/// checkpoint, memory-mapped. Owns the spool; borrows the source, which must outlive it.
/// </summary>
internal sealed class CompressedWeights : IWeightSource
{
    private readonly IWeightSource source;
    private readonly CompressedLayerSpool spool;
    private readonly string[] names;

    /// <summary>Initializes a new instance over a spool holding every layer of the model.</summary>
    public CompressedWeights(IWeightSource source, CompressedLayerSpool spool)
    {
        this.source = source;
        this.spool = spool;
        names = [.. source.Names.Where(name => !TensorNames.IsInAttentionOrMlp(name)), .. spool.Names];
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Names => names;

    /// <inheritdoc />
    public bool Contains(string name) => spool.Contains(name) || (!TensorNames.IsInAttentionOrMlp(name) && source.Contains(name));

    /// <inheritdoc />
    public TensorDescriptor Describe(string name) => spool.Contains(name) ? spool.Describe(name) : source.Describe(Unchanged(name));

    /// <inheritdoc />
    public torch.Tensor Load(string name, torch.ScalarType dtype, torch.Device device) =>
        spool.Contains(name) ? spool.Load(name, dtype, device) : source.Load(Unchanged(name), dtype, device);

    /// <inheritdoc />
    public void Dispose() => spool.Dispose();

    /// <summary>A name of the source that compression leaves as it is; an original layer's linear is not one.</summary>
    private string Unchanged(string name) =>
        TensorNames.IsInAttentionOrMlp(name)
            ? throw new A3InputException(A3ErrorCodes.InvalidSafetensors, $"tensor '{name}' is not part of the compressed model", spool.Folder)
            : name;
}
