using System.Text.Json;
using A3.Tests;

namespace A3.Cli.Tests;

/// <summary>The model verbs end to end, as separate processes, on the real fixture.</summary>
public sealed class ModelVerbTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("a3-cli-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [SkippableFact]
    public async Task Eval_prints_the_reference_perplexity_as_json()
    {
        var model = Fixtures.Require("llama2c/stories260K/stories260K.bin");
        var data = Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt");

        var run = await CliRunner.RunAsync(["eval", "--model", model, "--data", data, "--protocol", "documents", "--max-docs", "3", "--device", "cpu", "--json"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var result = JsonDocument.Parse(run.Stdout).RootElement;
        using var reference = JsonDocument.Parse(File.ReadAllText(Fixtures.Require("reference/stories260K_tinystories_reference.json")));
        var stories = reference.RootElement.GetProperty("stories").EnumerateArray()
            .Select(story => (Predicted: story.GetProperty("n_tokens").GetInt32() - 1, MeanNll: story.GetProperty("mean_nll").GetDouble()))
            .ToList();
        long predicted = stories.Sum(story => story.Predicted);
        var expectedMeanNll = stories.Sum(story => story.Predicted * story.MeanNll) / predicted;
        Assert.Equal(predicted, result.GetProperty("tokens").GetInt64());
        Assert.Equal(expectedMeanNll, result.GetProperty("mean_nll").GetDouble(), 1e-5);
        Assert.Equal(Math.Exp(expectedMeanNll), result.GetProperty("perplexity").GetDouble(), 1e-4);
        Assert.True(result.GetProperty("seconds").GetDouble() > 0);
    }

    [SkippableFact]
    public async Task Greedy_generation_from_bos_tells_the_known_story()
    {
        var model = Fixtures.Require("hf/stories260K-llama");

        var run = await CliRunner.RunAsync(["generate", "--model", model, "--max-new-tokens", "20", "--json"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var completion = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("completion").GetString();
        Assert.StartsWith("Once upon a time, there was a little girl named Lily.", completion, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Inspect_reports_parameters_and_cache()
    {
        var model = Fixtures.Require("hf/stories260K-llama");

        var run = await CliRunner.RunAsync(["inspect", "--model", model, "--json"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var result = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(260032, result.GetProperty("parameters").GetProperty("total").GetInt64());
        Assert.Equal(1280, result.GetProperty("kv_cache_bytes_per_token").GetInt64());
        Assert.Equal(5, result.GetProperty("layers").GetArrayLength());
    }

    [SkippableFact]
    public async Task Malformed_safetensors_exit_2_naming_the_file()
    {
        var model = CopyFixtureModel();
        var weights = Path.Combine(model, "model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);

        var run = await CliRunner.RunAsync(["inspect", "--model", model]);
        var eval = await CliRunner.RunAsync(["eval", "--model", model, "--data", weights, "--protocol", "windows"]);

        foreach (var result in new[] { run, eval })
        {
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("model.safetensors", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("error A3010", result.Stderr, StringComparison.Ordinal);
            Assert.Single(result.Stderr.Trim().Split('\n'));
        }
    }

    [SkippableFact]
    public async Task Malformed_config_exits_2_naming_the_file()
    {
        var model = CopyFixtureModel();
        File.WriteAllText(Path.Combine(model, "config.json"), "{ \"architectures\": [\"LlamaForCausalLM\"], \"hidden_size\": ");

        var run = await CliRunner.RunAsync(["inspect", "--model", model]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("config.json", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("error A3011", run.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_config_the_weights_do_not_match_exits_2_instead_of_reporting_its_sizes()
    {
        // A 1 MB folder whose config.json claimed a hidden size of 2^20 was reported as 4 trillion parameters with exit 0.
        var model = CopyFixtureModel();
        var config = Path.Combine(model, "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"hidden_size\": 64", "\"hidden_size\": 1048576", StringComparison.Ordinal).Replace("\"head_dim\": 8", "\"head_dim\": 131072", StringComparison.Ordinal));

        var run = await CliRunner.RunAsync(["inspect", "--model", model]);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains("error A3011: the weights do not match the configuration: 'model.embed_tokens.weight' has shape [512, 64], expected [512, 1048576]", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_model_and_bad_option_values_exit_2()
    {
        var missing = await CliRunner.RunAsync(["inspect", "--model", Path.Combine(scratch, "nothing-here")]);
        var badProtocol = await CliRunner.RunAsync(["eval", "--model", scratch, "--data", scratch, "--protocol", "sliding"]);
        var badTemperature = await CliRunner.RunAsync(["generate", "--model", scratch, "--temperature", "-1"]);

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("A3002", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, badProtocol.ExitCode);
        Assert.Equal(2, badTemperature.ExitCode);
    }

    private string CopyFixtureModel()
    {
        var source = Fixtures.Require("hf/stories260K-llama");
        var target = Path.Combine(scratch, "model");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }
}
