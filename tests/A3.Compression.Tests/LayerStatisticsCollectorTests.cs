using System.Diagnostics;
using A3.Compression.Calibration;
using A3.Compression.Statistics;
using A3.Runtime.Model;
using A3.Runtime.Tests.Model;
using A3.Tests;
using TorchSharp;
using Xunit.Abstractions;

namespace A3.Compression.Tests;

public sealed class LayerStatisticsCollectorTests(ITestOutputHelper output)
{
    private const int Windows = 5;
    private const int Length = 7;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Statistics_equal_the_naive_second_moments_of_the_activations(bool bias)
    {
        var (config, weights) = Model(bias);
        using var source = new DictionaryWeightSource(weights);
        using var layer = DecoderLayer.Load(config, 1, source, torch.CPU, torch.float32);
        using var scope = torch.NewDisposeScope();
        var hidden = Hidden(config);
        using var recorder = new RecordingObserver();

        // The same micro-batches as the collector's: float32 projections round differently for other row counts.
        for (var first = 0; first < Windows; first += 2)
        {
            layer.Forward(hidden.narrow(0, first, Math.Min(2, Windows - first)), 0, null, recorder);
        }

        var (statistics, _) = LayerStatisticsCollector.Collect(layer, hidden, batchSize: 2);
        using var owned = statistics;

        Assert.Equal(Windows * Length, statistics.Tokens);
        AssertClose(NaiveMoment(recorder.AttentionInput), statistics.AttentionInput, 1e-10);
        AssertClose(NaivePerHeadMoment(recorder.Query), statistics.Query, 1e-10);
        AssertClose(NaivePerHeadMoment(recorder.Key), statistics.Key, 1e-10);
        AssertClose(NaiveMoment(recorder.AttentionOutput), statistics.AttentionOutput, 1e-10);
        AssertClose(NaiveMoment(recorder.MlpInput), statistics.MlpInput, 1e-10);
        AssertClose(NaiveMoment(recorder.Intermediate), statistics.Intermediate, 1e-10);
        Assert.All(new[] { statistics.AttentionInput, statistics.Query, statistics.Key, statistics.AttentionOutput, statistics.MlpInput, statistics.Intermediate }, t => Assert.Equal(torch.float64, t.dtype));
        var shape = config.Layers[1];
        Assert.Equal(new long[] { config.NumAttentionHeads, shape.QkHeadDim, shape.QkHeadDim }, statistics.Query.shape);
        Assert.Equal(new long[] { config.NumKeyValueHeads, shape.QkHeadDim, shape.QkHeadDim }, statistics.Key.shape);
        Assert.Equal(new long[] { config.NumAttentionHeads * shape.VHeadDim, config.NumAttentionHeads * shape.VHeadDim }, statistics.AttentionOutput.shape);
        Assert.Equal(new long[] { shape.IntermediateSize, shape.IntermediateSize }, statistics.Intermediate.shape);
    }

    [Fact]
    public void At_llama_3_8b_widths_the_float64_statistics_equal_sums_recomputed_element_by_element()
    {
        // One layer at d 4096 with a 14336-wide MLP (seeded weights as the synthetic checkpoints make them), two
        // micro-batches of 32 tokens; sampled rows of each moment are summed again in managed float64 code.
        var config = A3.Runtime.Benchmarks.SyntheticModelPresets.Llama3_8B.ToConfig(1);
        var layerWeights = ModelTensorShapes.Expected(config)
            .Where(entry => entry.Key.StartsWith("model.layers.0.", StringComparison.Ordinal))
            .Select(entry => KeyValuePair.Create(entry.Key, A3.Runtime.Benchmarks.SyntheticWeights.Generate(entry.Key, entry.Value, seed: 3)));
        using var source = new DictionaryWeightSource(layerWeights);
        using var layer = DecoderLayer.Load(config, 0, source, torch.CPU, torch.float32);
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(4);
        var hidden = torch.randn([2, 32, config.HiddenSize], torch.float32, generator: generator);
        using var recorder = new RecordingObserver();
        for (var window = 0; window < 2; window++)
        {
            layer.Forward(hidden.narrow(0, window, 1), 0, null, recorder);
        }

        var (statistics, _) = LayerStatisticsCollector.Collect(layer, hidden, batchSize: 1);
        using var owned = statistics;

        var random = new Random(5);
        foreach (var (name, activations, moment) in new[]
        {
            ("attention input", recorder.AttentionInput, statistics.AttentionInput),
            ("attention output", recorder.AttentionOutput, statistics.AttentionOutput),
            ("mlp input", recorder.MlpInput, statistics.MlpInput),
            ("intermediate", recorder.Intermediate, statistics.Intermediate),
        })
        {
            var width = (int)activations.shape[^1];
            var values = activations.reshape(-1, width).to(torch.float64).data<double>().ToArray();
            var tokens = values.Length / width;
            var worst = 0.0;
            var scale = 0.0;
            foreach (var row in Enumerable.Range(0, 24).Select(_ => random.Next(width)))
            {
                var actual = moment[row].data<double>().ToArray();
                for (var column = 0; column < width; column++)
                {
                    var sum = 0.0;
                    for (var t = 0; t < tokens; t++)
                    {
                        sum += values[(t * width) + row] * values[(t * width) + column];
                    }

                    var expected = sum / tokens;
                    worst = Math.Max(worst, Math.Abs(actual[column] - expected));
                    scale = Math.Max(scale, Math.Abs(expected));
                }
            }

            output.WriteLine($"{name} ({width} wide): max |Δ| / max |moment| = {worst / scale:E2}");
            Assert.True(worst <= 1e-12 * scale, $"{name}: max |Δ| {worst:E3} against a scale of {scale:E3}");
            Assert.True(moment.eq(moment.t()).all().item<bool>(), $"{name} is exactly symmetric");
        }
    }

    [Fact]
    public void Observed_activations_sit_where_the_statistics_say()
    {
        // Recomputes, in float64 from the weights, each activation from the previous one, so a hook at the
        // wrong place (before the norm, after RoPE, after o_proj, …) shows up.
        var (config, weights) = Model(bias: true);
        using var source = new DictionaryWeightSource(weights);
        using var layer = DecoderLayer.Load(config, 1, source, torch.CPU, torch.float32);
        using var scope = torch.NewDisposeScope();
        var hidden = Hidden(config);
        using var recorder = new RecordingObserver();
        var layerOutput = layer.Forward(hidden, 0, null, recorder).to(torch.float64);
        torch.Tensor W(string name) => torch.tensor(weights["model.layers.1." + name].Data, weights["model.layers.1." + name].Shape, torch.float32).to(torch.float64);
        var x = hidden.to(torch.float64);
        var shape = config.Layers[1];

        var attentionInput = RmsNorm(x, W("input_layernorm.weight"), config.RmsNormEps);
        var query = torch.nn.functional.linear(attentionInput, W("self_attn.q_proj.weight"), W("self_attn.q_proj.bias")).view(Windows, Length, config.NumAttentionHeads, shape.QkHeadDim);
        var key = torch.nn.functional.linear(attentionInput, W("self_attn.k_proj.weight"), W("self_attn.k_proj.bias")).view(Windows, Length, config.NumKeyValueHeads, shape.QkHeadDim);
        using var one = 1.ToScalar();
        var afterAttention = x.add(torch.nn.functional.linear(recorder.AttentionOutput, W("self_attn.o_proj.weight")), one);
        var mlpInput = RmsNorm(afterAttention, W("post_attention_layernorm.weight"), config.RmsNormEps);
        var intermediate = torch.nn.functional.silu(torch.nn.functional.linear(recorder.MlpInput, W("mlp.gate_proj.weight"))) * torch.nn.functional.linear(recorder.MlpInput, W("mlp.up_proj.weight"));
        var expectedOutput = afterAttention.add(torch.nn.functional.linear(recorder.Intermediate, W("mlp.down_proj.weight")), one);

        AssertClose(attentionInput, recorder.AttentionInput, 1e-5);
        AssertClose(query, recorder.Query, 1e-5);
        AssertClose(key, recorder.Key, 1e-5);
        AssertClose(mlpInput, recorder.MlpInput, 1e-5);
        AssertClose(intermediate, recorder.Intermediate, 1e-5);
        AssertClose(expectedOutput, layerOutput, 1e-5);
    }

    [Fact]
    public void Micro_batch_size_does_not_change_the_accumulated_sums()
    {
        // The same activations fed as 5 forwards of 1 window or 2 forwards of up to 4 windows.
        var (config, weights) = Model(bias: false);
        using var source = new DictionaryWeightSource(weights);
        using var layer = DecoderLayer.Load(config, 0, source, torch.CPU, torch.float32);
        using var scope = torch.NewDisposeScope();
        using var recorder = new RecordingObserver();
        layer.Forward(Hidden(config), 0, null, recorder);
        var activations = new[] { recorder.AttentionInput, recorder.Query, recorder.Key, recorder.AttentionOutput, recorder.MlpInput, recorder.Intermediate };

        using var one = Accumulate(activations, 1);
        using var four = Accumulate(activations, 4);

        Assert.Equal(one.Tokens, four.Tokens);
        AssertClose(one.AttentionInput, four.AttentionInput, 1e-12);
        AssertClose(one.Query, four.Query, 1e-12);
        AssertClose(one.Key, four.Key, 1e-12);
        AssertClose(one.AttentionOutput, four.AttentionOutput, 1e-12);
        AssertClose(one.MlpInput, four.MlpInput, 1e-12);
        AssertClose(one.Intermediate, four.Intermediate, 1e-12);
    }

    [Fact]
    public void Micro_batch_size_changes_the_collected_statistics_only_by_float32_rounding()
    {
        // The float32 q/k/v projections round differently with the number of rows per GEMM (seen: 3e-8
        // relative), so the whole-layer collection agrees across batch sizes to float32 precision only.
        var (config, weights) = Model(bias: false);
        using var source = new DictionaryWeightSource(weights);
        using var layer = DecoderLayer.Load(config, 0, source, torch.CPU, torch.float32);
        using var scope = torch.NewDisposeScope();
        var hidden = Hidden(config);

        var (one, oneOutput) = LayerStatisticsCollector.Collect(layer, hidden, batchSize: 1);
        var (four, fourOutput) = LayerStatisticsCollector.Collect(layer, hidden, batchSize: 4);
        using var first = one;
        using var second = four;

        Assert.Equal(one.Tokens, four.Tokens);
        AssertClose(one.AttentionInput, four.AttentionInput, 1e-6);
        AssertClose(one.Query, four.Query, 1e-6);
        AssertClose(one.Key, four.Key, 1e-6);
        AssertClose(one.AttentionOutput, four.AttentionOutput, 1e-6);
        AssertClose(one.MlpInput, four.MlpInput, 1e-6);
        AssertClose(one.Intermediate, four.Intermediate, 1e-6);
        AssertClose(oneOutput.to(torch.float64), fourOutput.to(torch.float64), 1e-6);
    }

    [Fact]
    public void Output_is_the_layer_forward()
    {
        var (config, weights) = Model(bias: true);
        using var source = new DictionaryWeightSource(weights);
        using var layer = DecoderLayer.Load(config, 0, source, torch.CPU, torch.float32);
        using var scope = torch.NewDisposeScope();
        var hidden = Hidden(config);

        var (statistics, collected) = LayerStatisticsCollector.Collect(layer, hidden, batchSize: Windows);
        statistics.Dispose();

        Assert.True(layer.Forward(hidden, 0, null).equal(collected).all().item<bool>(), "the whole-batch collector output differs from Forward");
    }

    [Fact]
    public void Query_trace_summed_over_heads_is_the_mean_squared_query_norm_and_splits_into_pair_energies()
    {
        var (config, weights) = Model(bias: true);
        using var source = new DictionaryWeightSource(weights);
        using var layer = DecoderLayer.Load(config, 0, source, torch.CPU, torch.float32);
        using var scope = torch.NewDisposeScope();
        var hidden = Hidden(config);
        using var recorder = new RecordingObserver();
        layer.Forward(hidden, 0, null, recorder);
        var (statistics, _) = LayerStatisticsCollector.Collect(layer, hidden, batchSize: 3);
        using var owned = statistics;
        var q = recorder.Query.data<double>().ToArray();
        var heads = config.NumAttentionHeads;
        var qk = config.Layers[0].QkHeadDim;
        var half = qk / 2;
        var tokens = Windows * Length;

        double meanSquaredNorm = 0;
        var pairEnergy = new double[heads, half];
        for (var t = 0; t < tokens; t++)
        {
            for (var h = 0; h < heads; h++)
            {
                for (var m = 0; m < half; m++)
                {
                    var first = q[(((t * heads) + h) * qk) + m];
                    var second = q[(((t * heads) + h) * qk) + m + half];
                    pairEnergy[h, m] += ((first * first) + (second * second)) / tokens;
                    meanSquaredNorm += ((first * first) + (second * second)) / tokens;
                }
            }
        }

        var traceSum = statistics.Query.diagonal(0, 1, 2).sum().item<double>();
        Assert.Equal(meanSquaredNorm, traceSum, meanSquaredNorm * 1e-12);
        var diagonal = statistics.Query.diagonal(0, 1, 2).data<double>().ToArray();
        for (var h = 0; h < heads; h++)
        {
            for (var m = 0; m < half; m++)
            {
                var fromStatistics = diagonal[(h * qk) + m] + diagonal[(h * qk) + m + half];
                Assert.Equal(pairEnergy[h, m], fromStatistics, pairEnergy[h, m] * 1e-12);
            }
        }
    }

    [SkippableFact]
    public void Stories260K_statistics_over_windows_of_256_tokens()
    {
        // 16 windows keep the suite quick; A3_STATISTICS_WINDOWS=128 reproduces the reported timing run.
        var windows = int.TryParse(Environment.GetEnvironmentVariable("A3_STATISTICS_WINDOWS"), out var requested) ? requested : 16;
        using var checkpoint = ModelCheckpoint.Open(Fixtures.Require("hf/stories260K-llama"));
        var set = CalibrationSetBuilder.Build(
            Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt"),
            checkpoint.Tokenizer,
            new CalibrationOptions { Samples = windows, SequenceLength = 256, Seed = 1 });
        var config = checkpoint.Config;
        using var scope = torch.NewDisposeScope();
        using var embedding = TokenEmbedding.Load(config, checkpoint.Weights, torch.CPU, torch.float32);
        var hidden = embedding.Forward(set.ToTensor(torch.CPU));

        for (var i = 0; i < config.NumLayers; i++)
        {
            using var layer = DecoderLayer.Load(config, i, checkpoint.Weights, torch.CPU, torch.float32);
            var watch = Stopwatch.StartNew();
            var (statistics, next) = LayerStatisticsCollector.Collect(layer, hidden, batchSize: 16);
            watch.Stop();
            using var owned = statistics;
            output.WriteLine($"layer {i}: {watch.Elapsed.TotalMilliseconds:F0} ms for {statistics.Tokens} tokens");
            Assert.Equal(windows * 256L, statistics.Tokens);
            Assert.True(statistics.Intermediate.isfinite().all().item<bool>());
            Assert.True(statistics.AttentionInput.diagonal().min().item<double>() > 0);
            hidden = next;
        }
    }

    private static (ModelConfig Config, Dictionary<string, (long[] Shape, float[] Data)> Weights) Model(bool bias)
    {
        var config = TestConfigs.Compressed(bias);
        return (config, RandomWeights.Create(config, seed: 21));
    }

    private static LayerStatistics Accumulate(torch.Tensor[] activations, int batchSize)
    {
        using var accumulator = new StatisticsAccumulator();
        for (var first = 0; first < Windows; first += batchSize)
        {
            var slice = activations.Select(a => a.narrow(0, first, Math.Min(batchSize, Windows - first))).ToArray();
            accumulator.OnAttentionInput(slice[0]);
            accumulator.OnQueryKey(slice[1], slice[2]);
            accumulator.OnAttentionOutput(slice[3]);
            accumulator.OnMlpInput(slice[4]);
            accumulator.OnIntermediate(slice[5]);
        }

        return accumulator.ToStatistics();
    }

    private static torch.Tensor Hidden(ModelConfig config)
    {
        var generator = new torch.Generator(5);
        return torch.randn([Windows, Length, config.HiddenSize], torch.float32, generator: generator);
    }

    private static torch.Tensor RmsNorm(torch.Tensor x, torch.Tensor weight, double eps)
    {
        // Explicit, disposed Scalars for the exponent and alpha too: square() and add(Scalar) would
        // convert their 2 and 1 implicitly and leave them to the finalizer.
        using var epsilon = eps.ToScalar();
        using var two = 2.ToScalar();
        using var one = 1.ToScalar();
        return weight * (x * x.pow(two).mean([-1L], keepdim: true).add(epsilon, one).rsqrt());
    }

    /// <summary>E[x xᵀ] over all tokens by an explicit sum of outer products.</summary>
    private static torch.Tensor NaiveMoment(torch.Tensor activations)
    {
        var width = (int)activations.shape[^1];
        var rows = activations.reshape(-1, width).data<double>().ToArray();
        var tokens = rows.Length / width;
        var moment = new double[width * width];
        for (var t = 0; t < tokens; t++)
        {
            for (var i = 0; i < width; i++)
            {
                for (var j = 0; j < width; j++)
                {
                    moment[(i * width) + j] += rows[(t * width) + i] * rows[(t * width) + j];
                }
            }
        }

        return torch.tensor(moment.Select(value => value / tokens).ToArray(), [width, width], torch.float64);
    }

    /// <summary>Per head h, E[x_h x_hᵀ] of <c>[B, T, H, D]</c> activations.</summary>
    private static torch.Tensor NaivePerHeadMoment(torch.Tensor activations)
    {
        var heads = activations.shape[2];
        return torch.stack(Enumerable.Range(0, (int)heads).Select(h => NaiveMoment(activations.select(2, h).contiguous())).ToArray(), 0);
    }

    private static void AssertClose(torch.Tensor expected, torch.Tensor actual, double relative, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(actual))] string what = "")
    {
        Assert.Equal(expected.shape, actual.shape);
        var scale = expected.abs().max().item<double>();
        var error = (expected - actual).abs().max().item<double>();
        Assert.True(error <= relative * scale, $"{what}: max |Δ| = {error:E3}, scale {scale:E3}, allowed relative {relative:E1}");
    }
}
