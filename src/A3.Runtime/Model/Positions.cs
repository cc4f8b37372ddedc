using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>Position ranges for RoPE and the causal mask.</summary>
internal static class Positions
{
    /// <summary>
    /// Returns <c>[start, stop)</c> as a 1-D tensor. The Scalars are created and disposed here:
    /// TorchSharp's implicit long→Scalar conversions leave them to the finalizer, which can free
    /// one while the native call still reads it.
    /// </summary>
    public static torch.Tensor Range(long start, long stop, torch.ScalarType dtype, torch.Device device)
    {
        using var first = start.ToScalar();
        using var end = stop.ToScalar();
        using var step = 1L.ToScalar();
        return torch.arange(first, end, step, dtype, device);
    }
}
