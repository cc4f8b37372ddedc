namespace A3.Sdk.Tests;

/// <summary>Which compressor progress lines the build log shows at default verbosity.</summary>
public sealed class ProgressThrottleTests
{
    [Fact]
    public void Every_stage_of_every_layer_shows()
    {
        var throttle = new ProgressThrottle();

        Assert.All(
            new[] { "a3: layer 0: statistics 0/2 (0.1s)", "a3: layer 0: solve 0/2 (0.2s)", "a3: compress layer 0 (qk 6/8 err 0.0010) 1/2 (0.3s, ETA 0.3s)", "a3: layer 1: statistics 1/2 (0.4s, ETA 0.4s)" },
            line => Assert.True(throttle.Shows(Parse(line)), line));
    }

    [Fact]
    public void Repeats_of_one_stage_show_every_ten_seconds_and_at_the_end()
    {
        var throttle = new ProgressThrottle();
        var lines = new[] { (1, 0.5), (2, 4.0), (3, 10.6), (4, 12.0), (5, 20.6), (6, 21.0), (7, 22.0) }
            .Select(step => $"a3: plan: search (KL {step.Item1 * 0.01:F2}) {step.Item1}/7 ({step.Item2:F1}s, ETA 1.0s)");

        var shown = lines.Where(line => throttle.Shows(Parse(line))).Select(line => Parse(line).Completed);

        Assert.Equal([1, 3, 5, 7], shown);
    }

    [Fact]
    public void A_stage_whose_clock_starts_again_is_a_new_operation()
    {
        var throttle = new ProgressThrottle();
        Assert.True(throttle.Shows(Parse("a3: eval 1/4 (30.0s, ETA 90.0s)")));

        // The same stage on a new clock (the next model's evaluation) shows at once, not 10 s after 30 s.
        Assert.True(throttle.Shows(Parse("a3: eval 1/4 (0.5s, ETA 1.5s)")));
        Assert.False(throttle.Shows(Parse("a3: eval 2/4 (1.0s, ETA 1.0s)")));
    }

    private static CompressorProgress Parse(string line) => CompressorOutputParser.TryParseProgress(line) ?? throw new InvalidOperationException(line);
}
