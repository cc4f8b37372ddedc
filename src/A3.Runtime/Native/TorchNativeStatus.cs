namespace A3.Runtime.Native;

/// <summary>How the native TorchSharp backend was loaded in this process.</summary>
/// <param name="Location">Where libtorch and the original libLibTorchSharp were found.</param>
/// <param name="LoadedLibTorchSharpPath">The libLibTorchSharp file actually loaded (the original or our patched copy).</param>
/// <param name="Patched">Whether the patched copy was needed because the system libstdc++ lacks <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="LibStdCxxPath">The system libstdc++ examined, when one was found.</param>
public sealed record TorchNativeStatus(LibTorchLocation Location, string LoadedLibTorchSharpPath, bool Patched, string? LibStdCxxPath);
