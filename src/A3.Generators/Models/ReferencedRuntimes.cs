using System;

namespace A3.Generators.Models;

/// <summary>Which A3 runtimes a compilation references, which decides the <c>Load</c> methods recipe classes get.</summary>
[Flags]
internal enum ReferencedRuntimes
{
    /// <summary>Neither: recipe classes get no <c>Load</c> method.</summary>
    None = 0,

    /// <summary>A3.Runtime (TorchSharp): <c>Load()</c> opens the compressed model folder as a <c>ModelCheckpoint</c>.</summary>
    Runtime = 1,

    /// <summary>A3.OnnxRuntime: a <c>Load</c> method opens the artifact's ONNX export as an <c>OnnxDecoderModel</c>.</summary>
    OnnxRuntime = 2,
}
