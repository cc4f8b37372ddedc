namespace A3.Runtime.IO;

/// <summary>Element types of stored weight tensors.</summary>
public enum TensorDType
{
    /// <summary>IEEE 754 binary32 (<c>F32</c>).</summary>
    Float32,

    /// <summary>IEEE 754 binary16 (<c>F16</c>).</summary>
    Float16,

    /// <summary>bfloat16 (<c>BF16</c>).</summary>
    BFloat16,

    /// <summary>IEEE 754 binary64 (<c>F64</c>); used for calibration statistics, not for model weights.</summary>
    Float64,
}
