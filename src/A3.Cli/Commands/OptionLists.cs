using A3.Runtime;

namespace A3.Cli.Commands;

/// <summary>Comma-separated option values (<c>--budgets 0.1,0.2</c>, <c>--presets a,b</c>), split one way for every verb.</summary>
internal static class OptionLists
{
    /// <summary>Splits <paramref name="value"/> at commas, trimming entries and dropping empty ones.</summary>
    /// <exception cref="A3InputException">Nothing is left; the message names <paramref name="option"/>.</exception>
    public static List<string> Split(string value, string option)
    {
        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        return items.Count > 0 ? items : throw new A3InputException(CliErrorCodes.InvalidOption, $"{option} is empty");
    }
}
