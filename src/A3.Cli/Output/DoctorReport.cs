namespace A3.Cli.Output;

/// <summary>What <c>a3 doctor --json</c> prints: where the native backend came from and whether it works.</summary>
internal sealed record DoctorReport(
    string LibtorchDirectory,
    string Source,
    string LibTorchSharp,
    bool Patched,
    string? LibStdCxx,
    bool CudaAvailable,
    bool SelfTestPassed);
