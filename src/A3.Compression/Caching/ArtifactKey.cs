using System.Text;
using A3.Recipes;

namespace A3.Compression.Caching;

/// <summary>The content address of a recipe's artifact: what went in, and the SHA-256 over it.</summary>
public sealed class ArtifactKey
{
    private ArtifactKey(string value, IReadOnlyList<ArtifactInput> inputs, ArtifactVersions versions)
    {
        Value = value;
        Inputs = inputs;
        Versions = versions;
    }

    /// <summary>Gets the key (lower-hex SHA-256).</summary>
    public string Value { get; }

    /// <summary>Gets the hashed inputs, recipe first, in key order.</summary>
    public IReadOnlyList<ArtifactInput> Inputs { get; }

    /// <summary>Gets the tool versions and device type that entered the key.</summary>
    public ArtifactVersions Versions { get; }

    /// <summary>Gets the SHA-256 over the model files' roles and hashes: what the statistics cache keys a model by.</summary>
    public string ModelIdentity => FileHashing.Sha256Text(string.Concat(
        Inputs.Where(input => input.Role.StartsWith("model/", StringComparison.Ordinal)).Select(input => $"{input.Role}\t{input.Sha256}\n")));

    /// <summary>Computes the key of <paramref name="recipe"/> on a device of type <paramref name="deviceType"/> (<c>cpu</c> or <c>cuda</c>).</summary>
    public static ArtifactKey Compute(Recipe recipe, string deviceType)
    {
        var inputs = new List<ArtifactInput>
        {
            // The canonical form drops comments, key order and path spellings, so only values change the key.
            new("recipe", recipe.BaseDirectory, FileHashing.Sha256Text(RecipeNormalizer.Canonicalize(recipe))),
        };
        var modelPath = recipe.GetModelPath();
        foreach (var (relative, full) in ModelFiles(modelPath))
        {
            inputs.Add(new ArtifactInput("model/" + relative, full, FileHashing.Sha256File(full)));
        }

        var calibration = recipe.GetCalibrationDataPath();
        inputs.Add(new ArtifactInput("calibration", calibration, FileHashing.Sha256File(calibration)));
        if (recipe.GetEvaluationDataPath() is { } evaluation)
        {
            inputs.Add(new ArtifactInput("evaluation", evaluation, FileHashing.Sha256File(evaluation)));
        }

        var versions = ArtifactVersions.Current(deviceType);
        var text = new StringBuilder("a3-artifact-key/1\n");
        foreach (var input in inputs)
        {
            text.Append(input.Role).Append('\t').Append(input.Sha256).Append('\n');
        }

        text.Append("tool\t").Append(versions.Tool).Append('\n')
            .Append("torchsharp\t").Append(versions.TorchSharp).Append('\n')
            .Append("libtorch\t").Append(versions.LibTorch).Append('\n')
            .Append("device\t").Append(versions.Device).Append('\n');
        return new ArtifactKey(FileHashing.Sha256Text(text.ToString()), inputs, versions);
    }

    /// <summary>Lists the files that define a model: every regular file of a model folder, or a llama2.c <c>.bin</c> and the tokenizer files beside it.</summary>
    private static IEnumerable<(string Relative, string Full)> ModelFiles(string modelPath)
    {
        if (Directory.Exists(modelPath))
        {
            return Directory.EnumerateFiles(modelPath, "*", SearchOption.AllDirectories)
                .Where(file => !File.GetAttributes(file).HasFlag(FileAttributes.ReparsePoint) || File.Exists(file))
                .Select(file => (Path.GetRelativePath(modelPath, file).Replace('\\', '/'), file))
                .OrderBy(pair => pair.Item1, StringComparer.Ordinal)
                .ToList();
        }

        var folder = Path.GetDirectoryName(modelPath)!;
        var tokenizers = new[] { "tok*.bin", "tok*.model", "tokenizer.model" }
            .SelectMany(pattern => Directory.EnumerateFiles(folder, pattern))
            .Where(file => !string.Equals(file, modelPath, StringComparison.Ordinal));
        return new[] { modelPath }.Concat(tokenizers)
            .Distinct(StringComparer.Ordinal)
            .Select(file => (Path.GetFileName(file), file))
            .OrderBy(pair => pair.Item1, StringComparer.Ordinal)
            .ToList();
    }
}
