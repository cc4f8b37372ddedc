namespace A3.Runtime.IO;

/// <summary>The name, element type and shape of a stored tensor.</summary>
/// <param name="Name">The tensor name.</param>
/// <param name="DType">The stored element type.</param>
/// <param name="Shape">The shape, outermost dimension first.</param>
public sealed record TensorDescriptor(string Name, TensorDType DType, IReadOnlyList<long> Shape)
{
    /// <summary>Gets the number of elements.</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, dim) => checked(product * dim));
}
