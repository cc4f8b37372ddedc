using System.Text;

namespace A3.Generators.Emit;

/// <summary>Writes indented C# with '\n' line ends, so the output is the same on every platform.</summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder builder = new();
    private int indent;
    private bool atBlockStart;

    /// <summary>Writes one line at the current indentation; an empty line has no trailing spaces.</summary>
    /// <param name="line">The line, without its line end.</param>
    public void Line(string line = "")
    {
        if (line.Length > 0)
        {
            for (int i = 0; i < indent; i++)
            {
                builder.Append(IndentUnit);
            }

            builder.Append(line);
        }

        builder.Append('\n');
        atBlockStart = false;
    }

    /// <summary>Writes an empty line between two members, but not right after an opening brace.</summary>
    public void Separate()
    {
        if (!atBlockStart)
        {
            Line();
        }
    }

    /// <summary>Writes <c>{</c> and indents.</summary>
    public void Open()
    {
        Line("{");
        indent++;
        atBlockStart = true;
    }

    /// <summary>Unindents and writes <c>}</c>.</summary>
    /// <param name="suffix">Text after the brace, such as <c>);</c>.</param>
    public void Close(string suffix = "")
    {
        indent--;
        Line("}" + suffix);
    }

    /// <summary>Writes a <c>///</c> comment line; <paramref name="xml"/> must already be escaped.</summary>
    /// <param name="xml">The documentation XML.</param>
    public void Doc(string xml) => Line("/// " + xml);

    /// <inheritdoc/>
    public override string ToString() => builder.ToString();
}
