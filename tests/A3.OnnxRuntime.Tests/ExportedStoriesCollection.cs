namespace A3.OnnxRuntime.Tests;

/// <summary>The tests that share one <see cref="ExportedStories"/> export per run.</summary>
[CollectionDefinition(Name)]
public sealed class ExportedStoriesCollection : ICollectionFixture<ExportedStories>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "exported stories260K";
}
