using Microsoft.ML.OnnxRuntime;

namespace A3.OnnxRuntime;

/// <summary>Reads rows of a <c>logits</c> output <c>[1, seq, vocab]</c> in place, without copying the tensor.</summary>
internal static class LogitRows
{
    /// <summary>Returns the logits of position <paramref name="position"/>.</summary>
    /// <param name="logits">The output.</param>
    /// <param name="position">The position, 0 to seq - 1.</param>
    /// <returns>The row over the vocabulary.</returns>
    public static ReadOnlySpan<float> Row(OrtValue logits, int position)
    {
        var shape = logits.GetTensorTypeAndShape().Shape;
        int vocab = checked((int)shape[^1]);
        return logits.GetTensorDataAsSpan<float>().Slice(position * vocab, vocab);
    }

    /// <summary>Returns the number of positions of the output.</summary>
    /// <param name="logits">The output.</param>
    /// <returns>seq.</returns>
    public static int Count(OrtValue logits) => checked((int)logits.GetTensorTypeAndShape().Shape[^2]);
}
