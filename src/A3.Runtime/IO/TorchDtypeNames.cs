using TorchSharp;

namespace A3.Runtime.IO;

/// <summary>
/// The Hugging Face <c>torch_dtype</c> names of the weight dtypes A3 reads and writes, with their TorchSharp types and sizes:
/// the one place these spellings live (recipes spell their dtypes the same way).
/// </summary>
public static class TorchDtypeNames
{
    /// <summary>32-bit IEEE floats.</summary>
    public const string Float32 = "float32";

    /// <summary>16-bit IEEE floats.</summary>
    public const string Float16 = "float16";

    /// <summary>16-bit brain floats.</summary>
    public const string BFloat16 = "bfloat16";

    /// <summary>Gets every supported name, widest first.</summary>
    public static IReadOnlyList<string> Supported { get; } = [Float32, Float16, BFloat16];

    /// <summary>Returns whether <paramref name="name"/> is a supported <c>torch_dtype</c>.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when supported.</returns>
    public static bool IsSupported(string name) => Supported.Contains(name, StringComparer.Ordinal);

    /// <summary>Returns the <c>torch_dtype</c> name of <paramref name="dtype"/>.</summary>
    /// <param name="dtype">A floating-point dtype A3 stores.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The dtype is not one A3 stores.</exception>
    public static string Of(torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.Float32 => Float32,
        torch.ScalarType.Float16 => Float16,
        torch.ScalarType.BFloat16 => BFloat16,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, $"weights are stored as {string.Join(", ", Supported)}"),
    };

    /// <summary>Returns the TorchSharp dtype of a supported <c>torch_dtype</c> name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The dtype.</returns>
    /// <exception cref="A3InputException">The name is not supported.</exception>
    public static torch.ScalarType ScalarTypeOf(string name) => name switch
    {
        Float32 => torch.ScalarType.Float32,
        Float16 => torch.ScalarType.Float16,
        BFloat16 => torch.ScalarType.BFloat16,
        _ => throw new A3InputException(A3ErrorCodes.UnsupportedModel, $"unsupported torch_dtype \"{name}\"; expected {string.Join(", ", Supported)}"),
    };

    /// <summary>Returns the element size in bytes of a supported <c>torch_dtype</c> name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>4 or 2.</returns>
    /// <exception cref="A3InputException">The name is not supported.</exception>
    public static int BytesPerElement(string name) => ScalarTypeOf(name) == torch.ScalarType.Float32 ? 4 : 2;
}
