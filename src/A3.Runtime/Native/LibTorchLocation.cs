namespace A3.Runtime.Native;

/// <summary>Where the native libtorch files used by this process live.</summary>
/// <param name="LibTorchDirectory">The folder holding <c>libtorch.so</c>, <c>libc10.so</c>, <c>libtorch_cpu.so</c> (and <c>libtorch_cuda.so</c> for CUDA builds).</param>
/// <param name="LibTorchSharpPath">The original (unpatched) <c>libLibTorchSharp.so</c>.</param>
/// <param name="Source">How the folder was found, for diagnostics.</param>
public sealed record LibTorchLocation(string LibTorchDirectory, string LibTorchSharpPath, string Source);
