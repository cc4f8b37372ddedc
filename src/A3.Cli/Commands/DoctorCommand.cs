using System.CommandLine;
using A3.Cli.Output;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Cli.Commands;

/// <summary><c>a3 doctor</c>: loads the native backend and says how (which libtorch, patched or not, CUDA).</summary>
internal static class DoctorCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliConsole console)
    {
        var json = CommonOptions.Json();
        var command = new Command("doctor", "Load the native TorchSharp backend and report where it came from.") { json };
        command.SetAction(parseResult =>
        {
            var status = TorchNative.EnsureLoaded();
            using var probe = torch.ones(2, 2).matmul(torch.ones(2, 2));
            var report = new DoctorReport(
                status.Location.LibTorchDirectory,
                status.Location.Source,
                status.LoadedLibTorchSharpPath,
                status.Patched,
                status.LibStdCxxPath,
                torch.cuda.is_available(),
                probe.sum().item<float>() == 8f);
            if (parseResult.GetValue(json))
            {
                console.Json(report, CliJsonContext.Default.DoctorReport);
            }
            else
            {
                // One column for the values: the longest label (libLibTorchSharp:) and a space.
                void Row(string label, object? value) => console.Line($"{label + ":",-18}{value}");
                Row("libtorch", $"{report.LibtorchDirectory} ({report.Source})");
                Row("libLibTorchSharp", report.LibTorchSharp + (report.Patched ? " (patched copy: system libstdc++ lacks GLIBCXX_3.4.32)" : string.Empty));
                Row("libstdc++", report.LibStdCxx);
                Row("CUDA available", report.CudaAvailable);
                Row("self-test", report.SelfTestPassed ? "passed" : "FAILED");
            }

            return report.SelfTestPassed ? ExitCodes.Success : ExitCodes.InternalError;
        });
        return command;
    }
}
