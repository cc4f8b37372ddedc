namespace A3.Generators;

/// <summary>The names of the generator's pipeline steps, for incrementality tests (<c>GeneratorRunResult.TrackedSteps</c>).</summary>
internal static class TrackingNames
{
    /// <summary>Picking the <c>A3Compress</c> recipes out of the additional files and reading their text.</summary>
    public const string RecipeFiles = nameof(RecipeFiles);

    /// <summary>Parsing and validating each recipe into its class model.</summary>
    public const string RecipeModels = nameof(RecipeModels);

    /// <summary>Reading the project-wide settings.</summary>
    public const string Settings = nameof(Settings);

    /// <summary>Looking for A3.Runtime in the compilation.</summary>
    public const string RuntimeReference = nameof(RuntimeReference);

    /// <summary>Planning and writing the generated files.</summary>
    public const string Plan = nameof(Plan);
}
