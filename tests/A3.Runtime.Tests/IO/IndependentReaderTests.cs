using System.Diagnostics;
using System.Text.Json;
using A3.Evaluation;
using A3.Runtime.Evaluation;
using A3.Runtime.IO;
using A3.Runtime.Model;
using A3.Runtime.Native;
using A3.Tests;
using TorchSharp;
using Xunit.Abstractions;

namespace A3.Runtime.Tests.IO;

/// <summary>
/// Runs <c>scripts/a3_reader.py</c>, a float64 reader written from docs/FORMAT.md alone, on model
/// folders written by <see cref="ModelFolderWriter"/> and checks it scores tokens exactly like the
/// runtime: the format document is complete enough to rebuild the forward pass.
/// </summary>
public sealed class IndependentReaderTests
{
    private const int SequenceLength = 60;
    private const int ComparedLogitPositions = 8;
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);

    private readonly ITestOutputHelper output;

    public IndependentReaderTests(ITestOutputHelper output)
    {
        TorchNative.EnsureLoaded();
        this.output = output;
    }

    public static TheoryData<string> Variants => new() { "fixture", "compressed-sharded", "compressed-bf16", "factorized" };

    [SkippableTheory]
    [MemberData(nameof(Variants))]
    public void Reader_script_scores_like_the_runtime(string variant)
    {
        var python = FindOnPath("python3");
        Skip.IfNot(python is not null, "python3 is not on PATH");
        using var temp = new TempFolder();
        var model = Model(variant, temp);
        var sequences = Sequences();
        var idsFile = temp.File("ids.json");
        File.WriteAllText(idsFile, JsonSerializer.Serialize(sequences.Select(sequence => sequence.Ids)));

        var (output, seconds) = RunScript(python!, model, idsFile);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var summary = JsonDocument.Parse(lines[0]);
        using var checkpoint = ModelCheckpoint.Open(model);
        using var decoder = checkpoint.CreateModel(torch.CPU, torch.float32);
        var expected = PerplexityEvaluator.Evaluate(decoder, sequences);
        var meanNll = summary.RootElement.GetProperty("mean_nll").GetDouble();
        this.output.WriteLine($"{variant}: script mean NLL {meanNll:R}, runtime {expected.MeanNll:R}, {expected.Tokens} tokens, script {seconds:F2} s");
        Assert.True(
            Math.Abs(expected.MeanNll - meanNll) <= 1e-5,
            $"{variant}: script mean NLL {meanNll:R}, runtime {expected.MeanNll:R} (script {seconds:F1} s)");
        Assert.Equal(expected.Tokens, summary.RootElement.GetProperty("tokens").GetInt64());
        Assert.Equal(expected.Sequences, summary.RootElement.GetProperty("sequences").GetInt32());

        using var scope = torch.NewDisposeScope();
        var first = sequences[0].Ids.Take(ComparedLogitPositions).Select(id => (long)id).ToArray();
        var runtime = decoder.Forward(torch.tensor(first, [1, first.Length]))[0].to(torch.float64).data<double>().ToArray();
        var script = JsonSerializer.Deserialize<double[][]>(lines[1])!;
        Assert.Equal(ComparedLogitPositions, script.Length);
        var vocab = checkpoint.Config.VocabSize;
        var maxDiff = script.SelectMany((row, position) => row.Select((logit, token) => Math.Abs(logit - runtime[(position * vocab) + token]))).Max();
        this.output.WriteLine($"{variant}: max |Δlogit| over {ComparedLogitPositions} positions = {maxDiff:G3}");
        Assert.True(maxDiff < 1e-4, $"{variant}: max |Δlogit| = {maxDiff}");
    }

    /// <summary>Writes (or locates) the model folder of a variant.</summary>
    private static string Model(string variant, TempFolder temp)
    {
        var source = Fixtures.Require(Stories260KVariants.HfFixture);
        if (variant == "fixture")
        {
            return source;
        }

        using var scope = torch.NewDisposeScope();
        var output = temp.File(variant);
        switch (variant)
        {
            case "compressed-sharded":
                {
                    var (config, tensors) = Stories260KVariants.Compressed(sliceValuesAndNeurons: true);
                    ModelFolderWriter.Write(output, config, tensors, source, maxShardBytes: 64 << 10);
                    Assert.True(File.Exists(Path.Combine(output, SafetensorsIndex.FileName)));
                    break;
                }

            case "compressed-bf16":
                {
                    var (config, tensors) = Stories260KVariants.Compressed(sliceValuesAndNeurons: true);
                    ModelFolderWriter.Write(output, config, tensors, source, torch.ScalarType.BFloat16);
                    break;
                }

            case "factorized":
                {
                    var (config, factorized, _, _) = Stories260KVariants.FactorizeLayer2();
                    ModelFolderWriter.Write(output, config, factorized, source);
                    break;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown variant");
        }

        return output;
    }

    /// <summary>The first <see cref="SequenceLength"/> ids of reference stories 0 and 1.</summary>
    private static List<ScoringSequence> Sequences()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Fixtures.Require("reference/stories260K_tinystories_reference.json")));
        var stories = document.RootElement.GetProperty("stories");
        return [.. Enumerable.Range(0, 2).Select(i => new ScoringSequence([.. stories[i].GetProperty("ids").EnumerateArray().Take(SequenceLength).Select(id => id.GetInt32())]))];
    }

    private static (string Output, double Seconds) RunScript(string python, string model, string idsFile)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(Fixtures.RepositoryRoot, "scripts", "a3_reader.py"), model, "--ids-file", idsFile, "--logits", ComparedLogitPositions.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ScriptTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"a3_reader.py did not finish within {ScriptTimeout}");
        }

        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"a3_reader.py exited with {process.ExitCode}: {stderr.Result}");
        return (stdout.Result, clock.Elapsed.TotalSeconds);
    }

    private static string? FindOnPath(string name)
    {
        var names = OperatingSystem.IsWindows() ? new[] { name + ".exe", name } : [name];
        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(folder => names.Select(candidate => Path.Combine(folder, candidate)))
            .FirstOrDefault(File.Exists);
    }
}
