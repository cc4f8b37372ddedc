using System;

namespace A3.Recipes;

/// <summary>
/// One input of a recipe's compression: what it is (its role) and where it is read. The artifact cache key
/// hashes inputs by role, and the build's up-to-date check watches their paths.
/// </summary>
public sealed class RecipeInput
{
    /// <summary>The role of the recipe itself.</summary>
    public const string RecipeRole = "recipe";

    /// <summary>What the role of a model file starts with; the file's <see cref="ModelFile.Name"/> follows.</summary>
    public const string ModelRolePrefix = "model/";

    /// <summary>The role of the calibration data.</summary>
    public const string CalibrationRole = "calibration";

    /// <summary>The role of the evaluation data.</summary>
    public const string EvaluationRole = "evaluation";

    /// <summary>Initializes a new instance of the <see cref="RecipeInput"/> class.</summary>
    /// <param name="role">What the input is: <see cref="RecipeRole"/>, <see cref="ModelRolePrefix"/> and a model file's name, <see cref="CalibrationRole"/> or <see cref="EvaluationRole"/>.</param>
    /// <param name="path">The full path it is read from.</param>
    public RecipeInput(string role, string path)
    {
        Role = role ?? throw new ArgumentNullException(nameof(role));
        Path = path ?? throw new ArgumentNullException(nameof(path));
    }

    /// <summary>Gets what the input is, for example <c>recipe</c>, <c>model/config.json</c> or <c>calibration</c>; roles, not paths, identify inputs, so moving them keeps a cache key.</summary>
    public string Role { get; }

    /// <summary>Gets the full path it is read from.</summary>
    public string Path { get; }

    /// <summary>Gets whether this is a file of the model.</summary>
    public bool IsModelFile => Role.StartsWith(ModelRolePrefix, StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => $"{Role} ({Path})";
}
