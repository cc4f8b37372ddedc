namespace A3.Runtime.Model;

/// <summary>RoPE frequency scaling as in Hugging Face <c>rope_scaling</c>; only <c>llama3</c> (and <c>default</c>) are supported.</summary>
/// <param name="Type">The <c>rope_type</c> (or legacy <c>type</c>).</param>
/// <param name="Factor">The scaling factor.</param>
/// <param name="LowFreqFactor">llama3: low-frequency factor.</param>
/// <param name="HighFreqFactor">llama3: high-frequency factor.</param>
/// <param name="OriginalMaxPositionEmbeddings">llama3: the pre-extension context length.</param>
public sealed record RopeScaling(string Type, double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalMaxPositionEmbeddings);
