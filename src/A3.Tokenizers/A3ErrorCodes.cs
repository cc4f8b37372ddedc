namespace A3;

/// <summary>Diagnostic codes for <see cref="A3InputException"/>; stable once released.</summary>
public static class A3ErrorCodes
{
    /// <summary>A file or folder named by the user does not exist.</summary>
    public const string FileNotFound = "A3002";

    /// <summary>
    /// A setting (a recipe key, or the command-line option that stands for it) has a value the operation
    /// cannot use: out of range, contradicting another setting, or not available on this machine. Thrown as
    /// <see cref="InvalidSettingException"/>, which names the setting.
    /// </summary>
    public const string InvalidSetting = "A3003";

    /// <summary>A safetensors file (or its shard index) is malformed.</summary>
    public const string InvalidSafetensors = "A3010";

    /// <summary>A Hugging Face <c>config.json</c> is malformed or inconsistent with the weights.</summary>
    public const string InvalidModelConfig = "A3011";

    /// <summary>The model architecture or a configuration field is not supported.</summary>
    public const string UnsupportedModel = "A3012";

    /// <summary>A llama2.c checkpoint is malformed.</summary>
    public const string InvalidLlama2cCheckpoint = "A3013";

    /// <summary>A tokenizer file is malformed or missing.</summary>
    public const string InvalidTokenizer = "A3014";

    /// <summary>A compressed-model <c>a3</c> section is malformed.</summary>
    public const string InvalidCompressedFormat = "A3015";

    /// <summary>A compression report (<c>a3-report.json</c>) is missing or malformed.</summary>
    public const string InvalidReport = "A3016";

    /// <summary>An evaluation or calibration data file is unusable.</summary>
    public const string InvalidData = "A3020";

    /// <summary>
    /// A file or folder could not be read or written: permission denied, a folder where a file belongs or the
    /// reverse, another I/O error. The <c>a3</c> command reports any such failure no reader turned into a more
    /// specific code with this one.
    /// </summary>
    public const string InaccessibleFile = "A3021";

    /// <summary>
    /// An exported ONNX model (<c>model.onnx</c>) cannot be loaded or does not follow the decoder graph contract
    /// A3.OnnxRuntime runs (its inputs, outputs, element types and key/value cache shapes).
    /// </summary>
    public const string InvalidOnnxModel = "A3022";
}
