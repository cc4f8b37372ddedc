using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace A3.Recipes;

/// <summary>
/// Passes a YAML parser's events through and stops at a collection nested deeper than <see cref="MaxDepth"/>.
/// YamlDotNet builds its representation model recursively, so a recipe nested a hundred thousand levels deep
/// would overflow the stack, which no handler catches: inside the source generator that crashes the compiler.
/// No recipe needs more than a few levels.
/// </summary>
internal sealed class NestingLimitParser(IParser inner) : IParser
{
    /// <summary>The deepest nesting of mappings and sequences a recipe may have (it uses four).</summary>
    public const int MaxDepth = 32;

    private int depth;

    /// <inheritdoc />
    public ParsingEvent? Current => inner.Current;

    /// <inheritdoc />
    /// <exception cref="YamlException">A mapping or sequence starts deeper than <see cref="MaxDepth"/>.</exception>
    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        switch (inner.Current)
        {
            case MappingStart or SequenceStart:
                if (++depth > MaxDepth)
                {
                    throw new YamlException(inner.Current.Start, inner.Current.End, $"the recipe nests mappings and sequences more than {MaxDepth} levels deep");
                }

                break;
            case MappingEnd or SequenceEnd:
                depth--;
                break;
        }

        return true;
    }
}
