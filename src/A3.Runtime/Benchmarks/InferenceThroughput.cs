using System.Diagnostics;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Runtime.Benchmarks;

/// <summary>
/// Measures a loaded model as an application runs it: a batch-1 prefill of a prompt into the key/value cache (logits
/// of the last position, as generation takes them) and a greedy decode, one token per forward pass.
/// </summary>
public static class InferenceThroughput
{
    /// <summary>Tokens of the untimed pass that first runs every kernel of the model.</summary>
    private const int WarmupTokens = 8;

    /// <summary>Measures <paramref name="model"/> with <paramref name="options"/>.</summary>
    /// <param name="model">The model, on its device.</param>
    /// <param name="options">Prompt lengths and decode tokens.</param>
    /// <param name="cancellationToken">Checked between passes.</param>
    /// <returns>Prefill and decode tokens per second.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A length is below 1, or a prompt and its decode exceed the model's context.</exception>
    public static InferenceMeasurement Measure(DecoderModel model, InferenceOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PromptLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DecodeTokens, 1);
        var context = model.Config.MaxPositionEmbeddings;
        foreach (var length in options.PrefillLengths.Append(options.PromptLength + options.DecodeTokens))
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(length, context);
        }

        using var generator = new torch.Generator(unchecked((ulong)options.Seed));
        using var warmup = Prompt(model, WarmupTokens, generator);
        Prefill(model, warmup);
        var prefill = new Dictionary<int, double>();
        foreach (var length in options.PrefillLengths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var prompt = Prompt(model, length, generator);
            prefill[length] = length / Prefill(model, prompt);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new InferenceMeasurement(prefill, options.DecodeTokens / Decode(model, options, generator, cancellationToken));
    }

    private static torch.Tensor Prompt(DecoderModel model, int length, torch.Generator generator) =>
        torch.randint(0, model.Config.VocabSize, [1, length], torch.ScalarType.Int64, generator: generator);

    /// <summary>Returns the seconds to fill a fresh cache with <paramref name="prompt"/> and produce the next token's logits.</summary>
    private static double Prefill(DecoderModel model, torch.Tensor prompt)
    {
        using var cache = model.CreateCache(1, (int)prompt.shape[1]);
        var clock = Stopwatch.StartNew();
        using var logits = model.NextTokenLogits(prompt, cache);
        GemmThroughput.Complete(logits);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Fills a cache with a prompt (untimed), then returns the seconds of the greedy decode steps.</summary>
    private static double Decode(DecoderModel model, InferenceOptions options, torch.Generator generator, CancellationToken cancellationToken)
    {
        using var cache = model.CreateCache(1, options.PromptLength + options.DecodeTokens);
        using var prompt = Prompt(model, options.PromptLength, generator);
        torch.Tensor next;
        using (var scope = torch.NewDisposeScope())
        {
            next = model.NextTokenLogits(prompt, cache).argmax(-1, keepdim: true).DetachFromDisposeScope();
        }

        var clock = Stopwatch.StartNew();
        for (var step = 0; step < options.DecodeTokens; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            var token = model.NextTokenLogits(next, cache).argmax(-1, keepdim: true);

            // Reading the token back is what a generator does each step (to detokenise and test for the end), and it waits for the device.
            _ = token.cpu().item<long>();
            next.Dispose();
            next = token.DetachFromDisposeScope();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        next.Dispose();
        return seconds;
    }
}
