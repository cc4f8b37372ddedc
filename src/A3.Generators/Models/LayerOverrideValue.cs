namespace A3.Generators.Models;

/// <summary>One entry of <c>compression.overrides</c>.</summary>
/// <param name="Layers">The layers as written (<c>3</c> or <c>0-7</c>).</param>
/// <param name="First">The first layer index.</param>
/// <param name="Last">The last layer index, inclusive.</param>
/// <param name="Qk">The query/key ratio, or <see langword="null"/> to keep the model-wide one.</param>
/// <param name="Ov">The value ratio, or <see langword="null"/>.</param>
/// <param name="Mlp">The MLP ratio, or <see langword="null"/>.</param>
internal sealed record LayerOverrideValue(string Layers, int First, int Last, double? Qk, double? Ov, double? Mlp);
