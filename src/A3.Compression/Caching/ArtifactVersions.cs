using System.Reflection;
using A3.Runtime.Native;

namespace A3.Compression.Caching;

/// <summary>The tool versions and device type an artifact was built with; any change may change the weights, so all enter the key.</summary>
/// <param name="Tool">The informational version of <c>a3</c>.</param>
/// <param name="TorchSharp">The TorchSharp version the runtime was built against.</param>
/// <param name="LibTorch">The libtorch version the runtime was built against.</param>
/// <param name="Device">The device type: <c>cpu</c> or <c>cuda</c>.</param>
internal sealed record ArtifactVersions(string Tool, string TorchSharp, string LibTorch, string Device)
{
    /// <summary>Gets the versions of this build for <paramref name="deviceType"/>.</summary>
    public static ArtifactVersions Current(string deviceType)
    {
        var runtime = typeof(A3CacheDirectory).Assembly;
        string Metadata(string key) => runtime.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == key)?.Value ?? "unknown";
        var tool = typeof(ArtifactVersions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        return new ArtifactVersions(tool, Metadata("A3.TorchSharpVersion"), Metadata("A3.LibTorchVersion"), deviceType);
    }
}
