using System.ComponentModel;

namespace A3.Recipes;

/// <summary>Ratios that replace the model-wide ones for some layers; an unset ratio keeps the model-wide value.</summary>
[Description("Ratios that replace the model-wide ones for some layers; an unset ratio keeps the model-wide value.")]
public sealed class LayerOverride
{
    /// <summary>Gets or sets the layers: one index (<c>3</c>) or an inclusive range (<c>0-7</c>).</summary>
    [Description("One layer index (3) or an inclusive range (0-7).")]
    public string Layers { get; set; } = string.Empty;

    /// <summary>Gets or sets the query/key ratio for these layers, in [0, 1).</summary>
    [Description("Query/key ratio for these layers, in [0, 1).")]
    public double? Qk { get; set; }

    /// <summary>Gets or sets the value ratio for these layers, in [0, 1).</summary>
    [Description("Value ratio for these layers, in [0, 1).")]
    public double? Ov { get; set; }

    /// <summary>Gets or sets the MLP ratio for these layers, in [0, 1).</summary>
    [Description("MLP ratio for these layers, in [0, 1).")]
    public double? Mlp { get; set; }

    /// <summary>Gets or sets the first layer index, parsed from <see cref="Layers"/>.</summary>
    public int First { get; set; }

    /// <summary>Gets or sets the last layer index (inclusive), parsed from <see cref="Layers"/>.</summary>
    public int Last { get; set; }
}
