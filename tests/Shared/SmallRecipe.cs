namespace A3.Tests;

/// <summary>
/// A quick recipe over the stories260K fixture (16 × 96 calibration tokens) for tests of recipe runs. A budget gets
/// the default (search) allocation, kept small (4 selection windows, 4 levels, 8 plans) so the run stays quick.
/// </summary>
internal static class SmallRecipe
{
    /// <summary>Writes <c>small.a3.yaml</c> into <paramref name="folder"/> with the given compression line and optional extra YAML.</summary>
    public static string Write(string folder, string compression, string extra = "")
    {
        var recipe = Path.Combine(folder, "small.a3.yaml");
        File.WriteAllText(recipe, $"""
            version: 1
            name: small
            model: {Fixtures.Require("hf/stories260K-llama")}
            calibration:
              data: {Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt")}
              take: 200
              samples: 16
              sequence_length: 96
              selection_samples: 4
            compression:
              {compression}
              search_levels: 4
              search_evaluations: 8
            device: cpu
            {extra}
            """);
        return recipe;
    }

    /// <summary>Returns an <c>evaluation</c> section (for <see cref="Write"/>'s extra YAML) that scores held-out stories 500 onwards, <paramref name="documents"/> of them.</summary>
    public static string HeldOutEvaluation(int documents = 5) => $"""
        evaluation:
          data: {Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt")}
          protocol: documents
          skip_docs: 500
          max_docs: {documents}
        """;
}
