using TorchSharp;

namespace A3.Runtime.Evaluation;

/// <summary>A model that scores token sequences: what perplexity evaluation needs and nothing more.</summary>
public interface ICausalLanguageModel
{
    /// <summary>Gets the longest sequence the model accepts (its trained context).</summary>
    int MaxSequenceLength { get; }

    /// <summary>Gets the device the model computes on; inputs are created there.</summary>
    torch.Device Device { get; }

    /// <summary>Returns logits <c>[B, T, V]</c> for input ids <c>[B, T]</c> (int64), without any cache.</summary>
    torch.Tensor ComputeLogits(torch.Tensor inputIds);
}
