using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using A3.Cli.Commands;
using A3.Compression.Recipes;
using A3.Recipes;
using A3.Runtime;
using A3.Runtime.Native;

namespace A3.Cli;

/// <summary>The <c>a3</c> command line: verbs, parse-error handling and exit codes.</summary>
internal static class A3Application
{
    /// <summary>The most recipe diagnostics printed for one run; a recipe generated wrong could have thousands, and the first ones say what is wrong.</summary>
    internal const int MaxDiagnostics = 100;

    /// <summary>Parses and runs <paramref name="args"/>, returning the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var console = new CliConsole(output, error);
        var root = new RootCommand("A3 SDK: evaluate, generate with, inspect, compress and export Llama-family models.")
        {
            EvalCommand.Create(console),
            GenerateCommand.Create(console),
            InspectCommand.Create(console),
            CompressCommand.Create(console),
            CompareCommand.Create(console),
            BenchCommand.Create(console),
            BenchOnnxCommand.Create(console),
            SynthesizeCommand.Create(console),
            DoctorCommand.Create(console),
            SchemaCommand.Create(console),
            VerifyCommand.Create(console),
            ExportCommand.Create(console),
        };

        var parseResult = root.Parse(args);
        if (args.Length == 0)
        {
            // Bare a3 asks what it can do: the help, not a parse error.
            return await root.Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        }

        if (parseResult.CommandResult.Command == root && parseResult.UnmatchedTokens.Count > 0)
        {
            var verbs = string.Join(", ", root.Subcommands.Select(verb => verb.Name));
            console.Error($"error {CliErrorCodes.InvalidOption}: unknown verb '{parseResult.UnmatchedTokens[0]}'; the verbs are {verbs} (see a3 --help)");
            return ExitCodes.InvalidInput;
        }

        if (parseResult.Errors.Count > 0)
        {
            // System.CommandLine lists allowed values on lines of their own; bad input is one line.
            var message = string.Join(' ', parseResult.Errors[0].Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            console.Error($"error {CliErrorCodes.InvalidOption}: {message} (see a3 --help)");
            return ExitCodes.InvalidInput;
        }

        if (EmptyValue(parseResult.CommandResult) is { } empty)
        {
            console.Error($"error {CliErrorCodes.InvalidOption}: {empty} must not be empty");
            return ExitCodes.InvalidInput;
        }

        // Ctrl+C (SIGINT) and SIGTERM (a build agent or container stopping) cancel the run the same way, so its
        // temporary folders are removed and finished statistics stay cached; only SIGKILL leaves temporaries behind.
        using var cancellation = new CancellationTokenSource();
        PosixSignal? received = null;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            received ??= context.Signal;
            cancellation.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            // System.CommandLine's own signal handling gives up waiting after a timeout and lets the process exit while a
            // compression thread is inside libtorch (which then aborts); the handlers above wait for the run to unwind.
            var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parseResult.InvokeAsync(configuration, cancellation.Token);
        }
        catch (RecipeException exception)
        {
            foreach (var diagnostic in exception.Diagnostics.Take(MaxDiagnostics))
            {
                console.Diagnostic(Render(parseResult.CommandResult.Command, diagnostic));
            }

            if (exception.Diagnostics.Count > MaxDiagnostics)
            {
                console.Diagnostic($"... and {exception.Diagnostics.Count - MaxDiagnostics} more");
            }

            return ExitCodes.InvalidInput;
        }
        catch (InvalidSettingException exception)
        {
            var message = SettingFlags.Render(parseResult.CommandResult.Command, exception.Setting, exception.Message);
            console.Error(exception.FilePath is null ? $"error {exception.Code}: {message}" : $"{exception.FilePath}: error {exception.Code}: {message}");
            return ExitCodes.InvalidInput;
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
        catch (IOException exception) when (DiskFull.Is(exception))
        {
            // The machine, not the input: the run can succeed once space is freed, so no stack trace.
            const string NoSpace = "no space left on device";
            console.Error(exception.Message.StartsWith(NoSpace, StringComparison.OrdinalIgnoreCase) ? $"error: {NoSpace}{exception.Message[NoSpace.Length..]}" : $"error: {NoSpace}: {exception.Message}");
            return ExitCodes.InternalError;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A path the user named cannot be read or written (permissions, a folder where a file belongs); .NET's
            // message names the path.
            console.Error($"error {A3ErrorCodes.InaccessibleFile}: {exception.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            console.Error("cancelled");
            return received == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Cancelled;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            console.Error($"internal error: {exception}");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>
    /// Returns the option (or the argument, in capitals) given an empty value, unless the empty string is its default:
    /// paths, numbers and names are never empty, and an empty path used to end in a stack trace from the file system.
    /// </summary>
    private static string? EmptyValue(CommandResult command)
    {
        foreach (var child in command.Children)
        {
            switch (child)
            {
                case OptionResult option when option.Tokens.Any(token => token.Value.Length == 0)
                    && !(option.Option.HasDefaultValue && Equals(option.Option.GetDefaultValue(), string.Empty)):
                    return option.Option.Name;
                case ArgumentResult argument when argument.Tokens.Any(token => token.Value.Length == 0):
                    return argument.Argument.Name.ToUpperInvariant();
            }
        }

        return null;
    }

    /// <summary>
    /// Renders a recipe diagnostic: at its YAML line and column for a recipe file, or, for the recipe the command
    /// line built from its options, naming the option that sets the value.
    /// </summary>
    public static string Render(Command command, RecipeDiagnostic diagnostic) =>
        diagnostic.File.Length > 0
            ? diagnostic.ToString()
            : $"a3: {(diagnostic.Severity == RecipeSeverity.Error ? "error" : "warning")} {diagnostic.Code}: {SettingFlags.Render(command, diagnostic.Key, diagnostic.Message)}";
}
