using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace A3.Sdk;

/// <summary>
/// Runs <c>a3 compress RECIPE --out DIR</c> out of process (TorchSharp never loads inside MSBuild), forwards
/// its progress to the build log, turns its <c>file(line,col): error A3xxx: message</c> lines into MSBuild
/// errors and warnings, and on cancellation interrupts it, then kills its process tree.
/// </summary>
/// <remarks>
/// Not a <c>ToolTask</c>: the MSBuild 17.4 API this assembly compiles against gives a <c>ToolTask</c> no
/// handle on its process, and without one the compressor cannot be asked to stop (SIGINT) before it is
/// killed; a compressor that gets to handle the interrupt removes its own temporary folders and cache entry.
/// </remarks>
public sealed class CompressA3Model : Task, ICancelableTask
{
    private readonly object gate = new();
    private CompressorProcess? running;
    private volatile bool cancelled;
    private ProgressThrottle throttle = new();
    private bool? cacheHit;
    private string outputName = string.Empty;

    /// <summary>Gets or sets how many seconds a cancelled build waits for the compressor to stop on its own before killing its process tree (<c>A3CompressorStopTimeout</c>).</summary>
    public int StopTimeoutSeconds { get; set; } = 10;

    private TimeSpan StopGracePeriod => TimeSpan.FromSeconds(Math.Max(0, StopTimeoutSeconds));

    /// <summary>Gets or sets the recipe file.</summary>
    [Required]
    public string Recipe { get; set; } = string.Empty;

    /// <summary>Gets or sets the folder to produce; the compressor creates it atomically.</summary>
    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    /// <summary>Gets or sets the compressor: <c>a3.dll</c> (run with <see cref="DotNetHostPath"/>) or an executable.</summary>
    [Required]
    public string CompressorPath { get; set; } = string.Empty;

    /// <summary>Gets or sets the <c>dotnet</c> executable that runs a compressor dll; <c>dotnet</c> from PATH when empty.</summary>
    public string? DotNetHostPath { get; set; }

    /// <summary>Gets or sets the device (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, <c>auto</c>); the recipe's when empty.</summary>
    public string? Device { get; set; }

    /// <summary>Gets or sets the artifact cache folder; the compressor's default when empty.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Gets or sets the folder holding libtorch, passed to the compressor as <c>A3_LIBTORCH_DIR</c>.</summary>
    public string? LibTorchDirectory { get; set; }

    /// <inheritdoc />
    public override bool Execute()
    {
        var outputDirectory = Path.GetFullPath(OutputDirectory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var startInfo = CreateStartInfo(outputDirectory);
        outputName = Path.GetFileName(outputDirectory);
        throttle = new ProgressThrottle();
        cacheHit = null;
        Log.LogMessage(MessageImportance.High, "A3: compressing {0} into {1}", Recipe, outputDirectory);
        Log.LogCommandLine(MessageImportance.Low, startInfo.FileName + " " + startInfo.Arguments);

        if (cancelled)
        {
            return false;
        }

        var stopwatch = Stopwatch.StartNew();
        int exitCode;
        try
        {
            using var process = CompressorProcess.Start(startInfo);
            lock (gate)
            {
                running = process;
                if (cancelled)
                {
                    process.Stop(StopGracePeriod);
                }
            }

            foreach (var line in process.ReadLines())
            {
                LogLine(line);
            }

            exitCode = process.WaitForExit();
            lock (gate)
            {
                running = null;
            }
        }
        catch (Win32Exception exception)
        {
            Log.LogError(null, SdkErrorCodes.CompressorNotStarted, null, Recipe, 0, 0, 0, 0, "could not start the A3 compressor {0}: {1}", startInfo.FileName, exception.Message);
            return false;
        }

        if (cancelled)
        {
            RemoveTemporaryFolders(outputDirectory);
            Log.LogMessage(MessageImportance.High, "A3: compression of {0} was cancelled", Recipe);
            return false;
        }

        if (exitCode != 0)
        {
            if (!Log.HasLoggedErrors)
            {
                Log.LogError(null, SdkErrorCodes.CompressorFailed, null, Recipe, 0, 0, 0, 0, "the A3 compressor exited with code {0}; its output above says more", exitCode);
            }

            return false;
        }

        if (!Directory.Exists(outputDirectory))
        {
            Log.LogError(null, SdkErrorCodes.OutputMissing, null, Recipe, 0, 0, 0, 0, "the A3 compressor succeeded but wrote no {0}", outputDirectory);
            return false;
        }

        var seconds = stopwatch.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
        if (cacheHit == true)
        {
            Log.LogMessage(MessageImportance.High, "A3: {0} is a cache hit, copied from the artifact cache in {1}s (nothing compressed)", outputName, seconds);
        }
        else
        {
            Log.LogMessage(MessageImportance.High, "A3: compressed {0} in {1}s", outputName, seconds);
        }

        return !Log.HasLoggedErrors;
    }

    /// <inheritdoc />
    public void Cancel()
    {
        lock (gate)
        {
            cancelled = true;
            running?.Stop(StopGracePeriod);
        }
    }

    private ProcessStartInfo CreateStartInfo(string outputDirectory)
    {
        var arguments = new CommandLineBuilder();
        string fileName;
        if (CompressorPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            fileName = string.IsNullOrEmpty(DotNetHostPath) ? "dotnet" : DotNetHostPath!;
            arguments.AppendSwitch("exec");
            arguments.AppendFileNameIfNotNull(CompressorPath);
        }
        else
        {
            fileName = CompressorPath;
        }

        arguments.AppendSwitch("compress");
        arguments.AppendFileNameIfNotNull(Recipe);
        arguments.AppendSwitchIfNotNull("--out ", outputDirectory);
        if (!string.IsNullOrEmpty(Device))
        {
            arguments.AppendSwitchIfNotNull("--device ", Device);
        }

        if (!string.IsNullOrEmpty(CacheDirectory))
        {
            arguments.AppendSwitchIfNotNull("--cache ", CacheDirectory);
        }

        var startInfo = new ProcessStartInfo(fileName, arguments.ToString())
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(Recipe)) ?? Environment.CurrentDirectory,
        };
        if (!string.IsNullOrEmpty(LibTorchDirectory))
        {
            startInfo.Environment["A3_LIBTORCH_DIR"] = LibTorchDirectory;
        }

        return startInfo;
    }

    private void LogLine(string line)
    {
        if (CompressorOutputParser.TryParseProgress(line) is { } progress)
        {
            // High importance is what dotnet build and IDEs show at their default verbosity.
            Log.LogMessage(throttle.Shows(progress) ? MessageImportance.High : MessageImportance.Normal, "A3 {0}: {1}", outputName, progress.Text);
        }
        else if (CompressorOutputParser.TryParseCacheHit(line) is { } hit)
        {
            cacheHit = hit;
            Log.LogMessage(MessageImportance.High, "A3 {0}: {1}", outputName, hit ? "cache hit, no compression needed" : "cache miss, compressing");
        }
        else if (CompressorOutputParser.TryParseDiagnostic(line) is { } diagnostic)
        {
            var file = diagnostic.File ?? Recipe;
            if (diagnostic.IsError)
            {
                Log.LogError(null, diagnostic.Code, null, file, diagnostic.Line, diagnostic.Column, 0, 0, diagnostic.Message);
            }
            else
            {
                Log.LogWarning(null, diagnostic.Code, null, file, diagnostic.Line, diagnostic.Column, 0, 0, diagnostic.Message);
            }
        }
        else
        {
            Log.LogMessage(MessageImportance.Normal, line);
        }
    }

    /// <summary>
    /// Removes the folders a killed compressor was building beside the output folder (<c>.NAME.tmp-*</c>). A previous output
    /// it had set aside (<c>.NAME.old-*</c>) is left for the next compression of this output, which puts it back when the
    /// output folder is missing; the output folder itself is only ever renamed into place complete, so it needs no cleaning.
    /// </summary>
    private void RemoveTemporaryFolders(string outputDirectory)
    {
        var parent = Path.GetDirectoryName(outputDirectory);
        if (parent is null || !Directory.Exists(parent))
        {
            return;
        }

        var name = Path.GetFileName(outputDirectory);
        foreach (var folder in Directory.GetDirectories(parent, $".{name}.tmp-*"))
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                Log.LogMessage(MessageImportance.Low, "A3: could not remove {0}: {1}", folder, exception.Message);
            }
        }
    }
}
