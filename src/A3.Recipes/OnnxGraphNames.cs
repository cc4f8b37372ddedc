using System;
using System.Globalization;

namespace A3.Recipes;

/// <summary>
/// The input and output names of an exported decoder graph: Hugging Face Optimum's for decoder exports with a key/value
/// cache, so code written for an Optimum export runs an A3 export unchanged. The exporter (A3.Onnx) writes them and
/// A3.OnnxRuntime feeds them; both read them here, beside the other file names of the format (<see cref="ModelFiles"/>).
/// </summary>
/// <remarks>
/// One graph serves prefill and decode: the past tensors have <c>past_sequence_length</c> positions (zero on the first
/// call) and the present tensors have those plus the new ones; a caller feeds each <c>present.{i}.*</c> back as
/// <c>past_key_values.{i}.*</c>. See <c>docs/ONNX.md</c> for the shapes.
/// </remarks>
public static class OnnxGraphNames
{
    /// <summary>Token ids, int64 <c>[batch_size, sequence_length]</c>.</summary>
    public const string InputIds = "input_ids";

    /// <summary>Which positions of the past and the new tokens may be attended to (1) or are padding (0), int64 <c>[batch_size, past_sequence_length + sequence_length]</c>.</summary>
    public const string AttentionMask = "attention_mask";

    /// <summary>The RoPE position of each new token, int64 <c>[batch_size, sequence_length]</c>.</summary>
    public const string PositionIds = "position_ids";

    /// <summary>Next-token logits at every new position, float32 <c>[batch_size, sequence_length, vocab_size]</c>.</summary>
    public const string Logits = "logits";

    /// <summary>The prefix of the cached keys and values a layer is given.</summary>
    public const string PastPrefix = "past_key_values.";

    /// <summary>The prefix of the keys and values a layer returns, the cache of the next step.</summary>
    public const string PresentPrefix = "present.";

    /// <summary>Returns the name of layer <paramref name="layer"/>'s cached keys input, <c>past_key_values.{layer}.key</c>.</summary>
    /// <param name="layer">The decoder layer index.</param>
    /// <returns>The input name.</returns>
    public static string PastKey(int layer) => Indexed(PastPrefix, layer, "key");

    /// <summary>Returns the name of layer <paramref name="layer"/>'s cached values input, <c>past_key_values.{layer}.value</c>.</summary>
    /// <param name="layer">The decoder layer index.</param>
    /// <returns>The input name.</returns>
    public static string PastValue(int layer) => Indexed(PastPrefix, layer, "value");

    /// <summary>Returns the name of layer <paramref name="layer"/>'s keys output (past and new positions), <c>present.{layer}.key</c>.</summary>
    /// <param name="layer">The decoder layer index.</param>
    /// <returns>The output name.</returns>
    public static string PresentKey(int layer) => Indexed(PresentPrefix, layer, "key");

    /// <summary>Returns the name of layer <paramref name="layer"/>'s values output (past and new positions), <c>present.{layer}.value</c>.</summary>
    /// <param name="layer">The decoder layer index.</param>
    /// <returns>The output name.</returns>
    public static string PresentValue(int layer) => Indexed(PresentPrefix, layer, "value");

    private static string Indexed(string prefix, int layer, string part)
    {
        if (layer < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, "a layer index is not negative");
        }

        return prefix + layer.ToString(CultureInfo.InvariantCulture) + "." + part;
    }
}
