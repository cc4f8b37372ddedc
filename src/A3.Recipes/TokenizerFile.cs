using System;

namespace A3.Recipes;

/// <summary>The file a model's tokenizer is read from, and its format.</summary>
public sealed class TokenizerFile
{
    /// <summary>Initializes a new instance of the <see cref="TokenizerFile"/> class.</summary>
    /// <param name="path">The tokenizer file.</param>
    /// <param name="format">Its format.</param>
    public TokenizerFile(string path, TokenizerFormat format)
    {
        Path = path ?? throw new ArgumentNullException(nameof(path));
        Format = format;
    }

    /// <summary>Gets the tokenizer file.</summary>
    public string Path { get; }

    /// <summary>Gets its format.</summary>
    public TokenizerFormat Format { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Path} ({Format})";
}
