using Microsoft.ML.OnnxRuntime;

namespace A3.OnnxRuntime;

/// <summary>How <see cref="OnnxDecoderModel.Load"/> sets up its ONNX Runtime session.</summary>
public sealed record OnnxModelOptions
{
    /// <summary>
    /// Gets a callback that adjusts the session options before the session is created: the place to choose the
    /// execution provider (<c>options.AppendExecutionProvider_CUDA()</c> with the GPU natives referenced), thread
    /// counts or the optimisation level. Without it the session runs on the CPU with ONNX Runtime's defaults.
    /// </summary>
    public Action<SessionOptions>? ConfigureSession { get; init; }
}
