using System.Globalization;

namespace A3.OnnxRuntime;

/// <summary>
/// The input and output names of an exported decoder graph: Hugging Face Optimum's, which <c>a3 export</c> writes
/// and this runtime feeds. The one place these spellings live.
/// </summary>
internal static class DecoderGraphNames
{
    /// <summary>Token ids, int64 <c>[batch, seq]</c>.</summary>
    public const string InputIds = "input_ids";

    /// <summary>Ones over the cached and new positions, int64 <c>[batch, past + seq]</c>.</summary>
    public const string AttentionMask = "attention_mask";

    /// <summary>The positions of the new tokens, int64 <c>[batch, seq]</c>.</summary>
    public const string PositionIds = "position_ids";

    /// <summary>Next-token logits, float32 <c>[batch, seq, vocab]</c>.</summary>
    public const string Logits = "logits";

    /// <summary>The prefix of the cached keys and values a layer is given.</summary>
    public const string PastPrefix = "past_key_values.";

    /// <summary>The prefix of the keys and values a layer returns, the cache of the next step.</summary>
    public const string PresentPrefix = "present.";

    /// <summary>Returns the name of layer <paramref name="layer"/>'s cached keys input.</summary>
    public static string PastKey(int layer) => Indexed(PastPrefix, layer, "key");

    /// <summary>Returns the name of layer <paramref name="layer"/>'s cached values input.</summary>
    public static string PastValue(int layer) => Indexed(PastPrefix, layer, "value");

    /// <summary>Returns the name of layer <paramref name="layer"/>'s keys output.</summary>
    public static string PresentKey(int layer) => Indexed(PresentPrefix, layer, "key");

    /// <summary>Returns the name of layer <paramref name="layer"/>'s values output.</summary>
    public static string PresentValue(int layer) => Indexed(PresentPrefix, layer, "value");

    private static string Indexed(string prefix, int layer, string part) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{layer}.{part}");
}
