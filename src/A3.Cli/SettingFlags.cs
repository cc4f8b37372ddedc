using System.CommandLine;
using System.Runtime.CompilerServices;

namespace A3.Cli;

/// <summary>
/// Which command-line option sets which setting, per verb. The library names a faulty setting by its recipe key
/// (<c>calibration.sequence_length</c>); the command line speaks of the option the user typed (<c>--seq-len</c>).
/// </summary>
internal static class SettingFlags
{
    private static readonly ConditionalWeakTable<Command, Dictionary<string, string>> Flags = new();

    /// <summary>Records that <paramref name="option"/> of <paramref name="command"/> sets <paramref name="setting"/>.</summary>
    public static void Bind(Command command, string setting, Option option) =>
        Flags.GetOrCreateValue(command)[setting] = option.Name;

    /// <summary>Returns the option of <paramref name="command"/> that sets <paramref name="setting"/>, or <see langword="null"/>.</summary>
    public static string? FlagOf(Command command, string setting) =>
        Flags.TryGetValue(command, out var flags) && flags.TryGetValue(setting, out var flag) ? flag : null;

    /// <summary>Rewrites the setting's quoted recipe key in <paramref name="message"/> as the option that sets it, when the verb has one.</summary>
    public static string Render(Command command, string setting, string message) =>
        FlagOf(command, setting) is { } flag ? message.Replace($"'{setting}'", flag, StringComparison.Ordinal) : message;
}
