using A3.Recipes;

namespace A3.Compression.Caching;

/// <summary>Whether a materialised model folder is the artifact its recipe and inputs produce now.</summary>
/// <param name="Key">The key the recipe and its inputs have now.</param>
/// <param name="Problems">Why the folder is not that artifact (inputs, tool versions or outputs that differ); empty when it is.</param>
public sealed record ArtifactVerification(string Key, IReadOnlyList<string> Problems)
{
    /// <summary>Gets a value indicating whether the folder is the artifact.</summary>
    public bool Matches => Problems.Count == 0;

    /// <summary>Checks <paramref name="folder"/> (written with its <c>a3-manifest.json</c>) against <paramref name="recipe"/>.</summary>
    /// <param name="recipe">The recipe the folder was built from.</param>
    /// <param name="folder">The model folder.</param>
    /// <returns>The key now and every difference found.</returns>
    /// <exception cref="A3InputException">The folder has no readable manifest.</exception>
    public static ArtifactVerification Verify(Recipe recipe, string folder)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var manifestPath = Path.Combine(folder, ArtifactManifest.FileName);
        var manifest = ArtifactManifest.TryRead(manifestPath)
            ?? throw new A3InputException(A3ErrorCodes.FileNotFound, $"no readable {ArtifactManifest.FileName} (the manifest a cached compression writes beside the model)", manifestPath);

        // The device type comes from the manifest, so a CUDA-built artifact verifies on a machine without a GPU.
        var key = ArtifactKey.Compute(recipe, manifest.Versions?.Device ?? "cpu");
        var problems = new List<string>();
        if (key.Value != manifest.Key)
        {
            problems.Add($"key {key.Value} differs from the manifest's {manifest.Key}");
            var recorded = manifest.Inputs.ToDictionary(input => input.Role, input => input.Sha256, StringComparer.Ordinal);
            foreach (var input in key.Inputs)
            {
                if (!recorded.TryGetValue(input.Role, out var hash))
                {
                    problems.Add($"input {input.Role} ({input.Path}) is new");
                }
                else if (hash != input.Sha256)
                {
                    problems.Add($"input {input.Role} ({input.Path}) differs");
                }
            }

            problems.AddRange(manifest.Inputs.Where(input => key.Inputs.All(now => now.Role != input.Role)).Select(input => $"input {input.Role} is gone"));
            if (manifest.Versions is { } versions && versions != key.Versions)
            {
                problems.Add($"tool versions differ: built with a3 {versions.Tool}, TorchSharp {versions.TorchSharp}, libtorch {versions.LibTorch}; now a3 {key.Versions.Tool}, TorchSharp {key.Versions.TorchSharp}, libtorch {key.Versions.LibTorch}");
            }
        }

        // The same check the cache makes before it serves an entry: exactly the listed files, each unchanged.
        problems.AddRange(ArtifactContents.Problems(manifest, folder).Select(problem => $"output {problem}"));
        return new ArtifactVerification(key.Value, problems);
    }
}
