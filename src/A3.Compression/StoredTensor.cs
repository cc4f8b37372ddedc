using TorchSharp;

namespace A3.Compression;

/// <summary>Turns a solver's result into the form compressed models are held in.</summary>
internal static class StoredTensor
{
    /// <summary>Returns a contiguous float32 CPU copy that outlives the caller's dispose scope.</summary>
    public static torch.Tensor From(torch.Tensor tensor) =>
        tensor.to(torch.float32, torch.CPU, copy: true).contiguous().DetachFromDisposeScope();
}
