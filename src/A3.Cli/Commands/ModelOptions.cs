using A3.Compression.Recipes;
using A3.Recipes;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Cli.Commands;

/// <summary>Turns the shared <c>--device</c> and <c>--dtype</c> values into TorchSharp ones.</summary>
internal static class ModelOptions
{
    /// <summary>Resolves the device and dtype choices.</summary>
    public static (torch.Device Device, torch.ScalarType DType) Resolve(string device, string dtype) =>
        (ComputeDevice.Resolve(device), RecipeBinding.ComputeType(RecipeNames.Parse<RecipeComputeDtype>(dtype)!.Value));
}
