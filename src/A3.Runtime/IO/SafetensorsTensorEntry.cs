namespace A3.Runtime.IO;

/// <summary>One tensor entry of a safetensors header, already validated against its file.</summary>
/// <param name="Name">The tensor name.</param>
/// <param name="DType">The dtype string as stored (<c>F32</c>, <c>BF16</c>, <c>I64</c>, …).</param>
/// <param name="Shape">The shape, outermost dimension first; empty for a scalar.</param>
/// <param name="Begin">The first byte of the data, relative to the start of the data area.</param>
/// <param name="End">One past the last byte of the data, relative to the start of the data area.</param>
internal sealed record SafetensorsTensorEntry(string Name, string DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Gets the number of data bytes.</summary>
    public long ByteLength => End - Begin;

    /// <summary>Gets the element type when A3 can load it (F32, F16, BF16), else <see langword="null"/>.</summary>
    public TensorDType? ElementType => SafetensorsDTypes.ToTensorDType(DType);
}
