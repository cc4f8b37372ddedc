using System;

namespace A3.Recipes;

/// <summary>One file of a model: its name within the model and where it lies on disk.</summary>
public sealed class ModelFile
{
    /// <summary>Initializes a new instance of the <see cref="ModelFile"/> class.</summary>
    /// <param name="name">The file's name within the model: a relative path with forward slashes.</param>
    /// <param name="path">Where the file lies on disk.</param>
    public ModelFile(string name, string path)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Path = path ?? throw new ArgumentNullException(nameof(path));
    }

    /// <summary>
    /// Gets the file's name within the model, with forward slashes: its path relative to a model folder, or
    /// the file name of a llama2.c checkpoint and of a tokenizer beside it. For a file a written folder
    /// carries, the name it gets there.
    /// </summary>
    public string Name { get; }

    /// <summary>Gets where the file lies on disk (for a file a written folder carries, where it is copied from).</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
