namespace A3.Sdk.Tests.Infrastructure;

/// <summary>A valid recipe over placeholder model and data files: enough for the recipe parser, and the fake compressor never reads them.</summary>
internal static class FakeRecipe
{
    /// <summary>The recipe text over <paramref name="model"/>; line 6 is <c>  samples: 4</c>, which the typo test misspells.</summary>
    public static string Text(string name, string model = "../model") => $"""
        version: 1
        name: {name}
        model: {model}
        calibration:
          data: ../data/calibration.txt
          samples: 4
        compression:
          method: a3
          budget: 0.2
        device: cpu
        """;

    /// <summary>Writes the placeholder model folder and calibration file the recipe names, and the recipe at <c>recipes/NAME.a3.yaml</c>.</summary>
    public static string WriteTo(ConsumerProject project, string name)
    {
        project.WriteFile("model/config.json", "{}");
        project.WriteFile("model/model.safetensors", "placeholder");
        project.WriteFile("data/calibration.txt", "Once upon a time.");
        return project.WriteFile($"recipes/{name}.a3.yaml", Text(name));
    }

    /// <summary>The project properties that select the fake compressor and a cache folder of the test's own.</summary>
    public static string Properties(string cacheDirectory) => $"""
          <PropertyGroup>
            <A3CompressorPath>{FakeCompressor.Path}</A3CompressorPath>
            <A3CacheDirectory>{cacheDirectory}</A3CacheDirectory>
          </PropertyGroup>
        """;
}
