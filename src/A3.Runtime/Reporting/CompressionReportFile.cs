using System.Text.Json;
using A3.IO;
using A3.Runtime.IO;

namespace A3.Runtime.Reporting;

/// <summary>
/// The <c>a3-report.json</c> file a compression writes beside the compressed model, through the one contract
/// both the writer and applications use (<see cref="ReportJsonContext"/>). Applications read it at run time
/// because the original model is on the build machine only.
/// </summary>
public static class CompressionReportFile
{
    /// <summary>The report's file name inside a compressed model folder.</summary>
    public const string FileName = "a3-report.json";

    /// <summary>Reads the report of the compressed model in <paramref name="modelFolder"/>.</summary>
    /// <param name="modelFolder">A model folder written by <c>a3 compress</c>, the A3 build task or the compression library.</param>
    /// <returns>The report.</returns>
    /// <exception cref="A3InputException">The folder has no report, or the report is malformed; the message names the file and the field.</exception>
    public static CompressionReport ReadFromModelFolder(string modelFolder)
    {
        ArgumentNullException.ThrowIfNull(modelFolder);
        return Read(Path.Combine(modelFolder, FileName));
    }

    /// <summary>Reads the report at <paramref name="path"/>.</summary>
    /// <param name="path">The path of an <c>a3-report.json</c> file.</param>
    /// <returns>The report.</returns>
    /// <exception cref="A3InputException">The file is missing (<see cref="A3ErrorCodes.FileNotFound"/>) or malformed (<see cref="A3ErrorCodes.InvalidReport"/>).</exception>
    public static CompressionReport Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        InputFiles.Require(path, $"no compression report (the {FileName} written beside a compressed model)");

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses the text of an <c>a3-report.json</c> document.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourcePath">The file the text came from, named in errors.</param>
    /// <returns>The report.</returns>
    /// <exception cref="A3InputException">The document is malformed (<see cref="A3ErrorCodes.InvalidReport"/>); the message names the field's JSON path.</exception>
    public static CompressionReport Parse(string json, string sourcePath)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize(json, ReportJsonContext.Default.CompressionReport)
                ?? throw new A3InputException(A3ErrorCodes.InvalidReport, $"not a valid {FileName}: the document is null; expected a JSON object", sourcePath);
        }
        catch (JsonException exception)
        {
            // The JSON path ($.after.kv_bytes_per_token) is what a reader can act on; the serializer names it in some messages only.
            var at = exception.Path is { Length: > 0 } path && !exception.Message.Contains("Path: ", StringComparison.Ordinal) ? $" (at {path})" : string.Empty;
            throw new A3InputException(A3ErrorCodes.InvalidReport, $"not a valid {FileName}: {exception.Message}{at}", sourcePath, exception);
        }
    }

    /// <summary>Returns the UTF-8 bytes of <paramref name="report"/> as the file holds them; the same report always gives the same bytes.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The file's content.</returns>
    public static byte[] Serialize(CompressionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.SerializeToUtf8Bytes(report, ReportJsonContext.Default.CompressionReport);
    }
}
