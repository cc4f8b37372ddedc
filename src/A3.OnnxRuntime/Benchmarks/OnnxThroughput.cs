using System.Diagnostics;
using A3.Generation;
using Microsoft.ML.OnnxRuntime;

namespace A3.OnnxRuntime.Benchmarks;

/// <summary>
/// Prefill and decode speed of an exported graph under ONNX Runtime's CPU provider, batch 1, on seeded token ids: each
/// prefill length runs from an empty cache; decode feeds the greedy token to the KV cache one step at a time after a
/// prompt. One warm-up run first; of <see cref="OnnxThroughputOptions.Rounds"/> runs the fastest counts.
/// </summary>
internal static class OnnxThroughput
{
    /// <summary>Measures the graph at <paramref name="modelFile"/>.</summary>
    public static OnnxThroughputResult Measure(string modelFile, OnnxThroughputOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Rounds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.IntraOpThreads, 1);
        var clock = Stopwatch.StartNew();
        using var session = DecoderSession.Open(modelFile, new OnnxModelOptions
        {
            ConfigureSession = settings =>
            {
                settings.IntraOpNumThreads = options.IntraOpThreads;
                settings.InterOpNumThreads = 1;
                settings.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
            },
        });
        var loadSeconds = clock.Elapsed.TotalSeconds;
        var vocabulary = session.Contract.VocabSize ?? throw new InvalidOperationException($"{modelFile} does not state its vocabulary size");
        var random = new Random(unchecked((int)options.Seed));
        int[] Ids(int count) => Enumerable.Range(0, count).Select(_ => random.Next(vocabulary)).ToArray();

        var prefill = new List<PrefillRate>();
        foreach (var length in options.PrefillLengths)
        {
            var ids = Ids(length);
            var best = double.MaxValue;
            for (var round = 0; round <= options.Rounds; round++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var cache = OnnxKvCache.Empty(session.Contract.Layers);
                var start = Stopwatch.GetTimestamp();
                using var outputs = session.Run(ids, cache);
                var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

                // Round 0 warms up the session (allocations, kernel choice) and does not count.
                best = round == 0 ? best : Math.Min(best, seconds);
            }

            prefill.Add(new PrefillRate(length, length / best));
        }

        var prompt = Ids(options.PromptLength);
        var bestDecode = double.MaxValue;
        var sampler = new TokenSampler(0, seed: 0);
        for (var round = 0; round <= options.Rounds; round++)
        {
            using var cache = OnnxKvCache.Empty(session.Contract.Layers);
            var first = session.Run(prompt, cache);
            cache.Advance(first, prompt.Length);
            var next = sampler.Sample(LogitRows.Row(first[0], prompt.Length - 1));
            var start = Stopwatch.GetTimestamp();
            for (var step = 0; step < options.DecodeTokens; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var outputs = session.Run([next], cache);
                cache.Advance(outputs, 1);
                next = sampler.Sample(LogitRows.Row(outputs[0], 0));
            }

            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            bestDecode = round == 0 ? bestDecode : Math.Min(bestDecode, seconds);
        }

        return new OnnxThroughputResult(loadSeconds, prefill, options.DecodeTokens / bestDecode);
    }
}
