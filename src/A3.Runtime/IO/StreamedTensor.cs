using TorchSharp;

namespace A3.Runtime.IO;

/// <summary>
/// A tensor to write that need not exist yet: its name, stored dtype and shape, which are enough to plan
/// headers and shards, and a producer the writer calls once, when the tensor's bytes are due.
/// </summary>
/// <param name="Name">The tensor's name in the file.</param>
/// <param name="DType">The stored element type; the produced tensor must have it.</param>
/// <param name="Shape">The shape; the produced tensor must have it.</param>
/// <param name="Produce">
/// Returns the tensor. A tensor created inside the call is disposed by the writer once its bytes are written
/// (the call runs inside a dispose scope); a tensor that existed before the call is left to its owner.
/// </param>
internal sealed record StreamedTensor(string Name, TensorDType DType, long[] Shape, Func<torch.Tensor> Produce);
