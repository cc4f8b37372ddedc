using System.Text;

namespace A3.Generators.Emit;

/// <summary>Writes indented C# with '\n' line ends, so the output is the same on every platform.</summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder builder = new();
    private int indent;

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
    }

    /// <summary>Writes <c>{</c> and indents.</summary>
    public void Open()
    {
        Line("{");
        indent++;
    }

    /// <summary>Unindents and writes <c>}</c>.</summary>
    public void Close()
    {
        indent--;
        Line("}");
    }

    /// <summary>Writes a <c>///</c> comment line; <paramref name="xml"/> must already be escaped.</summary>
    /// <param name="xml">The documentation XML.</param>
    public void Doc(string xml) => Line("/// " + xml);

    /// <inheritdoc/>
    public override string ToString() => builder.ToString();
}
