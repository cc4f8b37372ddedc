using Microsoft.ML.OnnxRuntime.Tensors;

namespace A3.OnnxRuntime;

/// <summary>What a graph declares about one of its inputs or outputs.</summary>
/// <param name="Name">The input or output name.</param>
/// <param name="ElementType">The tensor element type; <see cref="TensorElementType.DataTypeMax"/> for a value that is not a tensor.</param>
/// <param name="Dimensions">The shape; -1 for a dimension the graph leaves free (a symbolic one such as <c>batch</c>).</param>
internal sealed record GraphTensor(string Name, TensorElementType ElementType, IReadOnlyList<int> Dimensions);
