namespace A3.Cli.Output;

/// <summary>What <c>a3 synthesize</c> writes as JSON.</summary>
/// <param name="Output">The model folder written.</param>
/// <param name="Preset">The preset's name.</param>
/// <param name="Layers">Decoder layers.</param>
/// <param name="Bytes">Bytes of the folder's files.</param>
internal sealed record SynthesizeOutput(string Output, string Preset, int Layers, long Bytes);
