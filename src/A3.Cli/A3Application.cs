using System.CommandLine;
using A3.Cli.Commands;
using A3.Runtime;
using A3.Runtime.Native;

namespace A3.Cli;

/// <summary>The <c>a3</c> command line: verbs, parse-error handling and exit codes.</summary>
internal static class A3Application
{
    /// <summary>Parses and runs <paramref name="args"/>, returning the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var console = new CliConsole(output, error);
        var root = new RootCommand("A3 SDK: evaluate, generate with, inspect and compress Llama-family models.")
        {
            EvalCommand.Create(console),
            GenerateCommand.Create(console),
            InspectCommand.Create(console),
            CompressCommand.Create(console),
            CompareCommand.Create(console),
            DoctorCommand.Create(console),
            SchemaCommand.Create(console),
            VerifyCommand.Create(console),
        };

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            console.Error($"error {A3ErrorCodes.InvalidOption}: {parseResult.Errors[0].Message} (see a3 --help)");
            return ExitCodes.InvalidInput;
        }

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
            return await parseResult.InvokeAsync(configuration, cancellation.Token);
        }
        catch (A3InputException exception)
        {
            console.Error(exception.ToDiagnosticString());
            return ExitCodes.InvalidInput;
        }
        catch (TorchNativeException exception)
        {
            console.Error($"error: {exception.Message}");
            return ExitCodes.NativeBackendUnavailable;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            console.Error("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            console.Error($"internal error: {exception}");
            return ExitCodes.InternalError;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
