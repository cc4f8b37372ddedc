namespace A3.Sdk.Tests.Infrastructure;

/// <summary>Tests that build projects against the packed packages; they share one feed and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PackageFeedCollection : ICollectionFixture<PackageFeed>
{
    /// <summary>The collection name.</summary>
    public const string Name = "Packed A3 packages";
}
