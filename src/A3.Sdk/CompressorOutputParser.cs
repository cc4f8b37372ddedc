using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace A3.Sdk;

/// <summary>
/// Reads the lines <c>a3 compress</c> prints: progress (<c>a3: &lt;stage&gt; &lt;done&gt;/&lt;total&gt; (…s, ETA …s)</c>)
/// and diagnostics in MSBuild's canonical form (<c>file(line,col): error A3xxx: message</c>, or without a
/// location), so the task can log them as what they are instead of as plain text.
/// </summary>
internal static class CompressorOutputParser
{
    private const string ToolPrefix = "a3: ";

    // A time-out keeps a pathological line from stalling the build (as Grpc.Tools does for protoc's output).
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private static readonly Regex Progress = new(
        @"^a3: (?<stage>.+) (?<done>\d+)/(?<total>\d+) \((?<elapsed>[0-9.]+)s(, ETA [0-9.]+s)?\)$",
        RegexOptions.CultureInvariant,
        MatchTimeout);

    private static readonly Regex CacheOutcome = new(
        @"^a3: cache (?<outcome>hit|miss) (?<key>\S+)$",
        RegexOptions.CultureInvariant,
        MatchTimeout);

    private static readonly Regex Located = new(
        @"^(?<file>.+?)\((?<line>\d+)(,(?<column>\d+))?\): (?<severity>error|warning) (?<code>A3\d+): (?<message>.*)$",
        RegexOptions.CultureInvariant,
        MatchTimeout);

    private static readonly Regex Unlocated = new(
        @"^(internal )?(?<severity>error|warning)( (?<code>A3\d+))?: (?<message>.*)$",
        RegexOptions.CultureInvariant,
        MatchTimeout);

    private static readonly Regex InFile = new(
        @"^(?<file>.+?): (?<severity>error|warning) (?<code>A3\d+): (?<message>.*)$",
        RegexOptions.CultureInvariant,
        MatchTimeout);

    /// <summary>Returns whether <paramref name="line"/> is a progress line.</summary>
    public static bool IsProgress(string line) => Progress.IsMatch(line);

    /// <summary>Parses <paramref name="line"/> as a progress line; returns <see langword="null"/> for any other line.</summary>
    public static CompressorProgress? TryParseProgress(string line)
    {
        var match = Progress.Match(line);
        if (!match.Success)
        {
            return null;
        }

        var elapsed = double.Parse(match.Groups["elapsed"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        return new CompressorProgress(match.Groups["stage"].Value, Number(match, "done"), Number(match, "total"), elapsed, line.Substring(ToolPrefix.Length));
    }

    /// <summary>Returns <see langword="true"/> for the compressor's <c>a3: cache hit KEY</c> note, <see langword="false"/> for its miss, and <see langword="null"/> for any other line.</summary>
    public static bool? TryParseCacheHit(string line)
    {
        var match = CacheOutcome.Match(line);
        return match.Success ? match.Groups["outcome"].Value == "hit" : null;
    }

    /// <summary>Parses <paramref name="line"/> as a diagnostic; returns <see langword="null"/> for any other line.</summary>
    public static CompressorDiagnostic? TryParseDiagnostic(string line)
    {
        // The CLI prefixes diagnostics without a location with "a3: "; located ones start with the file.
        var text = line.StartsWith(ToolPrefix, StringComparison.Ordinal) ? line.Substring(ToolPrefix.Length) : line;

        var match = Located.Match(text);
        if (match.Success)
        {
            return Create(match, file: match.Groups["file"].Value, line: Number(match, "line"), column: Number(match, "column"));
        }

        match = Unlocated.Match(text);
        if (match.Success)
        {
            return Create(match, file: null, line: 0, column: 0);
        }

        match = InFile.Match(text);
        return match.Success ? Create(match, file: match.Groups["file"].Value, line: 0, column: 0) : null;
    }

    private static CompressorDiagnostic Create(Match match, string? file, int line, int column)
    {
        var code = match.Groups["code"].Success ? match.Groups["code"].Value : null;
        return new CompressorDiagnostic(match.Groups["severity"].Value == "error", code, match.Groups["message"].Value, file, line, column);
    }

    private static int Number(Match match, string group) =>
        match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
}
