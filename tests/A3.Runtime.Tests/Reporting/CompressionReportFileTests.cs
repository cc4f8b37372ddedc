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
    [InlineData("after", "kv_bytes_per_token", "'after.kv_bytes_per_token' is missing")]
    [InlineData("evaluation", "perplexity", "'evaluation.perplexity' is missing")]
    [InlineData(null, "target", "'target' is missing")]
    public void A_missing_field_is_named_with_its_section(string? section, string field, string expected)
    {
        var json = JsonNode.Parse(Report)!.AsObject();
        (section is null ? json : json[section]!.AsObject()).Remove(field);

        var error = Assert.Throws<A3InputException>(() => CompressionReportFile.Parse(json.ToJsonString(), "/models/x/a3-report.json"));

        Assert.Equal(A3ErrorCodes.InvalidReport, error.Code);
        Assert.Equal("/models/x/a3-report.json", error.FilePath);
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_kind_is_named_with_what_was_expected()
    {
        var json = JsonNode.Parse(Report)!.AsObject();
        json["before"]!["total_params"] = "260032";

        var error = Assert.Throws<A3InputException>(() => CompressionReportFile.Parse(json.ToJsonString(), "a3-report.json"));

        Assert.Equal("'before.total_params' must be an integer, got \"260032\"", error.Message);
    }

    [Theory]
    [InlineData("[]", "the report must be a JSON object")]
    [InlineData("{\"method\": \"a3\", \"target\": \"t\", \"sequential\": true, \"calibration_tokens\": 1, \"before\": 5}", "'before' must be a JSON object")]
    public void A_document_of_the_wrong_shape_says_what_was_expected(string json, string expected)
    {
        var error = Assert.Throws<A3InputException>(() => CompressionReportFile.Parse(json, "a3-report.json"));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Malformed_json_is_an_invalid_report()
    {
        var error = Assert.Throws<A3InputException>(() => CompressionReportFile.Parse("{ \"method\": ", "a3-report.json"));

        Assert.Equal(A3ErrorCodes.InvalidReport, error.Code);
        Assert.StartsWith("the report is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_a_report_names_the_file_it_looked_for()
    {
        var error = Assert.Throws<A3InputException>(() => CompressionReportFile.ReadFromModelFolder(folder.Path));

        Assert.Equal(A3ErrorCodes.FileNotFound, error.Code);
        Assert.Equal(Path.Combine(folder.Path, "a3-report.json"), error.FilePath);
    }
}
