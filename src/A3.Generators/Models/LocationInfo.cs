using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace A3.Generators.Models;

/// <summary>
/// A place in a recipe file as plain values: <see cref="Location"/> holds a syntax tree or file
/// reference that is not value-equatable, so pipeline models keep this and build the location when
/// a diagnostic is reported.
/// </summary>
/// <param name="FilePath">The recipe path.</param>
/// <param name="Start">The 0-based character offset.</param>
/// <param name="Length">The length in characters.</param>
/// <param name="StartLine">The 0-based start line.</param>
/// <param name="StartCharacter">The 0-based start character within its line.</param>
/// <param name="EndLine">The 0-based end line.</param>
/// <param name="EndCharacter">The 0-based end character within its line.</param>
internal sealed record LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartCharacter, int EndLine, int EndCharacter)
{
    /// <summary>Creates the Roslyn location.</summary>
    public Location ToLocation() => Location.Create(
        FilePath,
        new TextSpan(Start, Length),
        new LinePositionSpan(new LinePosition(StartLine, StartCharacter), new LinePosition(EndLine, EndCharacter)));
}
