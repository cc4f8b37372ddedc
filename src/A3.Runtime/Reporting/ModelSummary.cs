using System.Text.Json.Serialization;
using A3.Runtime.Inspection;

namespace A3.Runtime.Reporting;

/// <summary>Size and cost figures of a model, before or after compression.</summary>
/// <param name="TotalParameters">All parameters.</param>
/// <param name="DecoderLinearParameters">Parameters of the decoder's linear layers.</param>
/// <param name="KvCacheBytesPerToken">KV-cache bytes per token at the model's dtype.</param>
/// <param name="FlopsPerToken">FLOPs for one token at <paramref name="Context"/>.</param>
/// <param name="Context">The context length FLOPs are given at.</param>
public sealed record ModelSummary(
    [property: JsonPropertyName("total_params")] long TotalParameters,
    [property: JsonPropertyName("decoder_linear_params")] long DecoderLinearParameters,
    [property: JsonPropertyName("kv_bytes_per_token")] long KvCacheBytesPerToken,
    long FlopsPerToken,
    int Context)
{
    /// <summary>Summarises a footprint.</summary>
    /// <param name="footprint">The footprint.</param>
    /// <returns>Its summary.</returns>
    public static ModelSummary Of(ModelFootprint footprint)
    {
        ArgumentNullException.ThrowIfNull(footprint);
        return new(footprint.TotalParameters, footprint.DecoderLinearParameters, footprint.KvCacheBytesPerToken, footprint.FlopsPerToken, footprint.Context);
    }
}
