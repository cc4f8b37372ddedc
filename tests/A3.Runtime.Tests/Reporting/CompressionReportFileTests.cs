using System.Text.Json.Nodes;
using A3.Runtime.Reporting;
using A3.Runtime.Tests.IO;

namespace A3.Runtime.Tests.Reporting;

public sealed class CompressionReportFileTests : IDisposable
{
    /// <summary>A report as a3 compress writes it (layers shortened to one), with an evaluation.</summary>
    private const string Report = """
        {
          "method": "a3",
          "target": "budget 0.2 (uniform)",
          "sequential": true,
          "calibration_tokens": 32768,
          "decoder_params_removed": 46080,
          "decoder_removed_fraction": 0.2033898305084746,
          "total_params_removed": 46080,
          "before": { "total_params": 260032, "decoder_linear_params": 226560, "kv_bytes_per_token": 1280, "flops_per_token": 1174016, "context": 512 },
          "after": { "total_params": 213952, "decoder_linear_params": 180480, "kv_bytes_per_token": 960, "flops_per_token": 918016, "context": 512 },
          "layers": [ { "index": 0, "components": [ { "component": "qk", "original": 8, "kept": 6, "relative_error": 0.0012 } ] } ],
          "warnings": [ "layer 3: clamped 2 eigenvalues" ],
          "evaluation": { "perplexity": 3.9123, "mean_nll": 1.3641, "tokens": 32997 }
        }
        """;

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Reads_every_field_of_a_report_in_a_model_folder()
    {
        File.WriteAllText(folder.File(CompressionReportFile.FileName), Report);

        var report = CompressionReportFile.ReadFromModelFolder(folder.Path);

        Assert.Equal("a3", report.Method);
        Assert.Equal("budget 0.2 (uniform)", report.Target);
        Assert.True(report.Sequential);
        Assert.Equal(32768, report.CalibrationTokens);
        Assert.Equal(new ModelSummary(260032, 226560, 1280, 1174016, 512), report.Before);
        Assert.Equal(new ModelSummary(213952, 180480, 960, 918016, 512), report.After);
        Assert.Equal(new ReportedEvaluation(3.9123, 1.3641, 32997), report.Evaluation);
        Assert.Equal(["layer 3: clamped 2 eigenvalues"], report.Warnings);
    }

    [Fact]
    public void Derived_figures_agree_with_the_ones_the_writer_stores()
    {
        var report = CompressionReportFile.Parse(Report, "a3-report.json");
        var stored = JsonNode.Parse(Report)!;

        Assert.Equal((long)stored["decoder_params_removed"]!, report.DecoderParametersRemoved);
        Assert.Equal((double)stored["decoder_removed_fraction"]!, report.DecoderRemovedFraction);
        Assert.Equal((long)stored["total_params_removed"]!, report.TotalParametersRemoved);
    }

    [Theory]
    [InlineData("null")]
    [InlineData(null)]
    public void A_report_without_an_evaluation_has_none(string? evaluation)
    {
        var json = JsonNode.Parse(Report)!.AsObject();
        json.Remove("evaluation");
        if (evaluation is not null)
        {
            json["evaluation"] = JsonNode.Parse(evaluation);
        }

        Assert.Null(CompressionReportFile.Parse(json.ToJsonString(), "a3-report.json").Evaluation);
    }

    [Theory]
    [InlineData("after", "kv_bytes_per_token", "$.after")]
    [InlineData("evaluation", "perplexity", "$.evaluation")]
    [InlineData(null, "target", "$")]
    public void A_missing_field_is_named_with_its_section(string? section, string field, string path)
    {
        var json = JsonNode.Parse(Report)!.AsObject();
        (section is null ? json : json[section]!.AsObject()).Remove(field);

        var error = Assert.Throws<A3InputException>(() => CompressionReportFile.Parse(json.ToJsonString(), "/models/x/a3-report.json"));

        Assert.Equal(A3ErrorCodes.InvalidReport, error.Code);
        Assert.Equal("/models/x/a3-report.json", error.FilePath);
        Assert.Contains($"missing required properties including: '{field}'", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"(at {path})", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("before", "total_params", "\"260032\"", "$.before.total_params")]
    [InlineData(null, "warnings", "\"none\"", "$.warnings")]
    [InlineData(null, "before", "5", "$.before")]
    [InlineData(null, "target", "null", "$.target")]
    public void A_value_of_the_wrong_kind_is_named_by_its_path(string? section, string field, string value, string path)
    {
        var json = JsonNode.Parse(Report)!.AsObject();
        (section is null ? json : json[section]!.AsObject())[field] = JsonNode.Parse(value);

        var error = Assert.Throws<A3InputException>(() => CompressionReportFile.Parse(json.ToJsonString(), "a3-report.json"));

        Assert.Equal(A3ErrorCodes.InvalidReport, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{ \"method\": ")]
    public void A_document_that_is_not_a_report_object_is_an_invalid_report(string json)
    {
        var error = Assert.Throws<A3InputException>(() => CompressionReportFile.Parse(json, "a3-report.json"));

        Assert.Equal(A3ErrorCodes.InvalidReport, error.Code);
        Assert.StartsWith("not a valid a3-report.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writing_and_reading_back_round_trips_every_field_and_the_bytes()
    {
        var report = CompressionReportFile.Parse(Report, "a3-report.json");

        var written = CompressionReportFile.Serialize(report);
        var reread = CompressionReportFile.Parse(System.Text.Encoding.UTF8.GetString(written), "a3-report.json");

        Assert.Equal(written, CompressionReportFile.Serialize(reread));
        Assert.Equal(JsonNode.Parse(Report)!.ToJsonString(), JsonNode.Parse(written)!.ToJsonString());
    }

    [Fact]
    public void A_folder_without_a_report_names_the_file_it_looked_for()
    {
        var error = Assert.Throws<A3InputException>(() => CompressionReportFile.ReadFromModelFolder(folder.Path));

        Assert.Equal(A3ErrorCodes.FileNotFound, error.Code);
        Assert.Equal(Path.Combine(folder.Path, "a3-report.json"), error.FilePath);
    }
}
