namespace A3.Runtime.Native;

/// <summary>The native TorchSharp backend could not be prepared or loaded.</summary>
public sealed class TorchNativeException : Exception
{
    /// <summary>Initializes a new instance with a message that says what is missing and what to do.</summary>
    public TorchNativeException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance wrapping the loader's own error.</summary>
    public TorchNativeException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
