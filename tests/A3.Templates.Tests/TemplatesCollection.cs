namespace A3.Templates.Tests;

/// <summary>The template tests share one packed and installed template package.</summary>
[CollectionDefinition(Name)]
public sealed class TemplatesCollection : ICollectionFixture<TemplatePackage>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "templates";
}
