using A3.Runtime.Progress;

namespace A3.Cli.Tests;

/// <summary>How progress reaches stderr: each stage shows, and only a burst of one stage is thinned out.</summary>
public sealed class StderrProgressTests
{
    [Fact]
    public void Every_new_stage_shows_however_soon_it_follows_the_last_line()
    {
        using var error = new StringWriter();
        var progress = new StderrProgress(error);

        progress.Report(new ProgressUpdate("layer 0: statistics", 0, 2, TimeSpan.FromSeconds(1.00)));
        progress.Report(new ProgressUpdate("layer 0: solve", 0, 2, TimeSpan.FromSeconds(1.10)));
        progress.Report(new ProgressUpdate("compress layer 0 (qk 6/8)", 1, 2, TimeSpan.FromSeconds(1.20)));
        progress.Report(new ProgressUpdate("layer 1: statistics", 1, 2, TimeSpan.FromSeconds(1.30)));

        Assert.Equal(
            ["a3: layer 0: statistics 0/2 (1.0s)", "a3: layer 0: solve 0/2 (1.1s)", "a3: compress layer 0 (qk 6/8) 1/2 (1.2s, ETA 1.2s)", "a3: layer 1: statistics 1/2 (1.3s, ETA 1.3s)"],
            Lines(error));
    }

    [Fact]
    public void Repeats_of_one_stage_show_at_most_twice_a_second_and_the_last_always()
    {
        using var error = new StringWriter();
        var progress = new StderrProgress(error);

        foreach (var (done, seconds) in new[] { (1, 0.1), (2, 0.2), (3, 0.7), (4, 0.8), (5, 0.9) })
        {
            progress.Report(new ProgressUpdate("eval", done, 5, TimeSpan.FromSeconds(seconds)));
        }

        Assert.Equal(["eval 1/5", "eval 3/5", "eval 5/5"], Lines(error).Select(line => line["a3: ".Length..line.IndexOf(" (", StringComparison.Ordinal)]));
    }

    [Fact]
    public void A_phase_labels_its_lines_and_starts_the_thinning_afresh()
    {
        using var error = new StringWriter();
        var progress = new StderrProgress(error);

        progress.BeginPhase("a3-search at budget 0.2 (2/3)");
        progress.Report(new ProgressUpdate("eval", 1, 5, TimeSpan.FromSeconds(9.0)));
        progress.BeginPhase("svd at budget 0.2 (3/3)");
        progress.Report(new ProgressUpdate("eval", 1, 5, TimeSpan.FromSeconds(0.2)));

        Assert.Equal(
            ["a3: a3-search at budget 0.2 (2/3)", "a3: a3-search at budget 0.2 (2/3): eval 1/5 (9.0s, ETA 36.0s)", "a3: svd at budget 0.2 (3/3)", "a3: svd at budget 0.2 (3/3): eval 1/5 (0.2s, ETA 0.8s)"],
            Lines(error));
    }

    [Fact]
    public void A_stage_whose_clock_went_back_shows_at_once()
    {
        using var error = new StringWriter();
        var progress = new StderrProgress(error);

        progress.Report(new ProgressUpdate("eval", 3, 5, TimeSpan.FromSeconds(9.0)));
        progress.Report(new ProgressUpdate("eval", 1, 5, TimeSpan.FromSeconds(0.2)));

        Assert.Equal(["a3: eval 3/5 (9.0s, ETA 6.0s)", "a3: eval 1/5 (0.2s, ETA 0.8s)"], Lines(error));
    }

    private static string[] Lines(StringWriter writer) => writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
