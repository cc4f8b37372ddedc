using TorchSharp;
using A3.Recipes;

namespace A3.Runtime.Native;

/// <summary>Turns a user's device choice (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, <c>auto</c>) into a TorchSharp device.</summary>
public static class ComputeDevice
{
    /// <summary>The setting a device choice comes from, named in <see cref="InvalidSettingException"/>.</summary>
    private const string Setting = RecipeKeys.Device;

    /// <summary>Resolves <paramref name="choice"/>; <c>auto</c> picks CUDA when available, else the CPU.</summary>
    /// <exception cref="InvalidSettingException">The choice is unknown, or CUDA was asked for and is not available.</exception>
    public static torch.Device Resolve(string choice)
    {
        TorchNative.EnsureLoaded();
        var normalized = choice.Trim().ToLowerInvariant();
        if (normalized == "cpu")
        {
            return torch.CPU;
        }

        if (normalized == "auto")
        {
            return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        }

        if (normalized == "cuda" || normalized.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
            {
                throw new InvalidSettingException(
                    Setting,
                    $"asks for {normalized}, but CUDA is not available: this build carries CPU-only libtorch " +
                    "(reference TorchSharp-cuda-linux, or A3TorchBackend=cuda in MSBuild) or no GPU is visible; use cpu or auto");
            }

            return torch.device(normalized);
        }

        throw new InvalidSettingException(Setting, $"must be cpu, cuda, cuda:N or auto, got \"{choice}\"");
    }
}
