using Sweep.Grains.Abstractions.Reports;

namespace Sweep.Analysis.Tests;

public sealed class StatisticsTests
{
    [Fact]
    public void Holm_adjusts_as_the_step_down_procedure()
    {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
        var adjusted = Holm.Adjust([0.01, 0.04, 0.03, 0.005]);

        Assert.Equal([0.03, 0.06, 0.06, 0.02], adjusted.Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void Wilson_interval_matches_the_reference_values()
    {
        // 3 of 10 at 95%: [0.1078, 0.6032] (Wilson 1927; R prop.test without continuity correction).
        var (lower, upper) = SampleStatistics.Wilson(3, 10, 0.95);

        Assert.Equal(0.1078, lower, 4);
        Assert.Equal(0.6032, upper, 4);
        Assert.Equal(0, SampleStatistics.Wilson(0, 5, 0.95).Lower);
    }

    [Fact]
    public void Summary_has_the_t_interval_of_the_mean()
    {
        // mean 52, sd 2, n = 3: t(2, 0.975) = 4.302653, half-width 4.302653 * 2 / sqrt(3) = 4.968275.
        var s = SampleStatistics.Summarize([50.0, 52, 54]);

        Assert.Equal(52, s.Mean, 9);
        Assert.Equal(2, s.StandardDeviation, 9);
        Assert.Equal(52 - 4.968275, s.Lower!.Value, 5);
        Assert.Equal(52 + 4.968275, s.Upper!.Value, 5);
        Assert.Null(SampleStatistics.Summarize([50.0]).Lower);
    }

    [Fact]
    public void Tost_shows_equivalence_inside_the_margin_and_difference_beyond_it()
    {
        double[] a = [50, 51, 49, 50, 52, 48];
        double[] inside = [50.5, 51, 50, 49.5, 51.5, 49.5];
        double[] beyond = [60, 61, 59, 60, 62, 58];

        var equivalent = Equivalence.Compare("fc1 final width", "width", "", "1", a, "2", inside, 5, 0.95);
        var different = Equivalence.Compare("fc1 final width", "width", "", "1", a, "2", beyond, 5, 0.95);

        Assert.True(equivalent.PEquivalent < 0.001);
        Assert.True(equivalent.PBeyond > 0.5);
        Assert.True(equivalent.Lower > -5 && equivalent.Upper < 5);
        Assert.True(different.PBeyond < 0.001);
        Assert.True(different.PEquivalent > 0.5);
        Assert.Equal(10, different.Difference, 9);
        Assert.Equal(Verdict.Fails, Equivalence.Outcome(different, 0.05));
    }

    [Fact]
    public void Sign_flip_test_is_exact_for_few_pairs()
    {
        // All 6 differences positive: only the identity and the full flip are as extreme, 2 / 64.
        Assert.Equal(2.0 / 64, SignFlipTest.PValue([1, 2, 3, 1, 2, 3]), 12);
        Assert.Equal(1, SignFlipTest.PValue([0, 0, 0]));
        Assert.True(SignFlipTest.PValue([1, -1, 2, -2, 0.5, -0.5]) > 0.9);
    }
}
