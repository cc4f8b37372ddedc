using TorchSharp;

namespace A3.Runtime.IO;

/// <summary>The dtype strings of the safetensors format and what A3 can load of them.</summary>
internal static class SafetensorsDTypes
{
    // Bits per element of every dtype the safetensors specification defines; the sub-byte
    // float formats are listed so that files using them open (and are refused only on load).
    private static readonly Dictionary<string, int> BitsByName = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 8,
        ["U8"] = 8,
        ["I8"] = 8,
        ["F8_E5M2"] = 8,
        ["F8_E4M3"] = 8,
        ["F8_E8M0"] = 8,
        ["I16"] = 16,
        ["U16"] = 16,
        ["F16"] = 16,
        ["BF16"] = 16,
        ["I32"] = 32,
        ["U32"] = 32,
        ["F32"] = 32,
        ["F64"] = 64,
        ["I64"] = 64,
        ["U64"] = 64,
        ["F4"] = 4,
        ["F6_E2M3"] = 6,
        ["F6_E3M2"] = 6,
    };

    /// <summary>Returns the bits per element of a safetensors dtype, or <see langword="null"/> for a string that is none.</summary>
    public static int? BitsPerElement(string name) => BitsByName.TryGetValue(name, out var bits) ? bits : null;

    /// <summary>Maps a safetensors dtype to the element types A3 loads, or <see langword="null"/>.</summary>
    public static TensorDType? ToTensorDType(string name) => name switch
    {
        "F32" => TensorDType.Float32,
        "F16" => TensorDType.Float16,
        "BF16" => TensorDType.BFloat16,
        "F64" => TensorDType.Float64,
        _ => null,
    };

    /// <summary>Gets the safetensors name of a loadable element type.</summary>
    public static string ToName(TensorDType dtype) => dtype switch
    {
        TensorDType.Float32 => "F32",
        TensorDType.Float16 => "F16",
        TensorDType.BFloat16 => "BF16",
        TensorDType.Float64 => "F64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a loadable element type"),
    };

    /// <summary>Gets the TorchSharp scalar type of a loadable element type.</summary>
    public static torch.ScalarType ToScalarType(TensorDType dtype) => dtype switch
    {
        TensorDType.Float32 => torch.ScalarType.Float32,
        TensorDType.Float16 => torch.ScalarType.Float16,
        TensorDType.BFloat16 => torch.ScalarType.BFloat16,
        TensorDType.Float64 => torch.ScalarType.Float64,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a loadable element type"),
    };

    /// <summary>Maps a TorchSharp scalar type to a writable element type, or <see langword="null"/>.</summary>
    public static TensorDType? FromScalarType(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Float32 => TensorDType.Float32,
        torch.ScalarType.Float16 => TensorDType.Float16,
        torch.ScalarType.BFloat16 => TensorDType.BFloat16,
        torch.ScalarType.Float64 => TensorDType.Float64,
        _ => null,
    };
}
