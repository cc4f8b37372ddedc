using TorchSharp;

namespace A3.Compression;

/// <summary>
/// The calibration hidden states entering one layer, computed only when a layer's statistics must
/// be collected. A run whose statistics all come from the cache never embeds the calibration set;
/// a resumed run forwards through the layers it reused (much cheaper than collecting their
/// statistics) only up to the first layer it must recompute.
/// </summary>
internal sealed class LayerInputs : IDisposable
{
    private readonly Func<torch.Tensor> embed;
    private readonly Func<int, torch.Tensor, torch.Tensor> runLayer;
    private torch.Tensor? hidden;
    private int layer;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="embed">Returns the embedded calibration windows, the input of layer 0.</param>
    /// <param name="runLayer">Runs layer <c>i</c> (as the compressed model being built sees it) over the input of layer <c>i</c>; the caller of <see cref="At"/> must have made layer <c>i</c> runnable first.</param>
    public LayerInputs(Func<torch.Tensor> embed, Func<int, torch.Tensor, torch.Tensor> runLayer)
    {
        this.embed = embed;
        this.runLayer = runLayer;
    }

    /// <summary>Returns the input of layer <paramref name="index"/>, forwarding through the layers in between; owned by this instance.</summary>
    /// <exception cref="InvalidOperationException">The states have already moved past <paramref name="index"/>.</exception>
    public torch.Tensor At(int index)
    {
        if (hidden is null)
        {
            hidden = embed();
            layer = 0;
        }

        if (layer > index)
        {
            throw new InvalidOperationException($"the calibration states are at layer {layer}, past layer {index}");
        }

        while (layer < index)
        {
            var next = runLayer(layer, hidden);
            hidden.Dispose();
            hidden = next;
            layer++;
        }

        return hidden;
    }

    /// <summary>Takes <paramref name="output"/> as the input of layer <paramref name="index"/> + 1 (the original layer's output, in non-sequential mode).</summary>
    public void Advance(int index, torch.Tensor output)
    {
        hidden?.Dispose();
        hidden = output;
        layer = index + 1;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        hidden?.Dispose();
        hidden = null;
    }
}
