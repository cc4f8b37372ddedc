using System.ComponentModel;
using System.Globalization;
using System.Text.RegularExpressions;

namespace A3.Recipes;

/// <summary>Ratios that replace the model-wide ones for some layers; an unset ratio keeps the model-wide value.</summary>
[Description("Ratios that replace the model-wide ones for some layers; an unset ratio keeps the model-wide value.")]
public sealed class LayerOverride
{
    private static readonly Regex LayerRange = new(@"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$", RegexOptions.CultureInvariant);

    private string layers = string.Empty;

    /// <summary>Gets or sets the layers: one index (<c>3</c>) or an inclusive range (<c>0-7</c>); <see cref="First"/> and <see cref="Last"/> follow it.</summary>
    [Description("One layer index (3) or an inclusive range (0-7).")]
    public string Layers
    {
        get => layers;
        set
        {
            // First and Last are read from the text rather than set beside it, so a recipe built in
            // memory cannot say one range and compress another.
            layers = value ?? string.Empty;
            if (!TryParseLayers(layers, out var first, out var last))
            {
                first = last = -1;
            }

            First = first;
            Last = last;
        }
    }

    /// <summary>Gets or sets the query/key ratio for these layers, in [0, 1).</summary>
    [Description("Query/key ratio for these layers, in [0, 1).")]
    public double? Qk { get; set; }

    /// <summary>Gets or sets the value ratio for these layers, in [0, 1).</summary>
    [Description("Value ratio for these layers, in [0, 1).")]
    public double? Ov { get; set; }

    /// <summary>Gets or sets the MLP ratio for these layers, in [0, 1).</summary>
    [Description("MLP ratio for these layers, in [0, 1).")]
    public double? Mlp { get; set; }

    /// <summary>Gets the first layer index of <see cref="Layers"/>, or -1 when it is not a layer index or range.</summary>
    public int First { get; private set; } = -1;

    /// <summary>Gets the last layer index (inclusive) of <see cref="Layers"/>, or -1 when it is not a layer index or range.</summary>
    public int Last { get; private set; } = -1;

    /// <summary>Reads a layer index (<c>3</c>) or an inclusive range (<c>0-7</c>, possibly reversed); <see langword="false"/> for anything else.</summary>
    internal static bool TryParseLayers(string text, out int first, out int last)
    {
        first = last = -1;
        var match = LayerRange.Match(text);
        return match.Success
            && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out first)
            && int.TryParse(match.Groups[2].Success ? match.Groups[2].Value : match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out last);
    }
}
