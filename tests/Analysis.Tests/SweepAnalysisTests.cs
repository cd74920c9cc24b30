using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Analysis.Tests;

public sealed class SweepAnalysisTests
{
    private static readonly string[] TwoInits = ["kaiming-uniform", "orthogonal"];
    private static readonly string[] TwoWidths = ["1", "2"];

    private static (double, double, double) Same(string init, string width) => (50, 88, 0.015);

    private static SweepReport Analyze(SyntheticSweep sweep, SweepSpec? spec = null, int? total = null) =>
        SweepAnalysis.Analyze(spec ?? SyntheticSweep.Spec(), "s", total ?? sweep.Results.Count, sweep.Results);

    private static ClaimVerdict VerdictOf(RobustnessGroup group, string claim) => group.Verdicts.Single(v => v.Claim == claim);

    [Fact]
    public void Equivalent_levels_hold_with_enough_trials()
    {
        var sweep = new SyntheticSweep(1).Add(6, TwoInits, TwoWidths, Same);

        var group = Assert.Single(Analyze(sweep).Groups);

        foreach (var claim in Claims.All)
        {
            Assert.Equal(Verdict.Holds, VerdictOf(group, claim).Verdict);
        }
        var width = VerdictOf(group, Claims.WidthRobust);
        // Two inits, one pair of widths each, two layers and the error: 6 comparisons, all inside their margins.
        Assert.Equal(6, width.Comparisons.Count);
        Assert.All(width.Comparisons, c => Assert.InRange(c.Difference, c.Lower, c.Upper));
        Assert.All(width.Comparisons, c => Assert.True(c.PEquivalentAdjusted >= c.PEquivalent));
        Assert.Equal(0.10 * group.Layers[0].FinalWidth.Overall.Mean, width.Comparisons.First(c => c.Metric == "fc1 final width").Margin, 6);
        Assert.False(width.Provisional);
    }

    [Fact]
    public void A_real_shift_of_the_final_width_fails_width_robustness_only()
    {
        var sweep = new SyntheticSweep(2).Add(6, TwoInits, TwoWidths, (init, width) => (width == "2" ? 70 : 50, 88, 0.015));

        var group = Assert.Single(Analyze(sweep).Groups);

        var width = VerdictOf(group, Claims.WidthRobust);
        Assert.Equal(Verdict.Fails, width.Verdict);
        Assert.Contains("fc1 final width", width.Detail);
        Assert.All(width.Comparisons.Where(c => c.Metric == "fc1 final width"), c => Assert.Equal(Verdict.Fails, c.Outcome));
        Assert.Equal(Verdict.Holds, VerdictOf(group, Claims.InitRobust).Verdict);
    }

    [Fact]
    public void Two_trials_per_level_are_inconclusive_and_say_how_many_are_missing()
    {
        var sweep = new SyntheticSweep(3).Add(2, TwoInits, TwoWidths, Same);

        var group = Assert.Single(Analyze(sweep).Groups);

        var width = VerdictOf(group, Claims.WidthRobust);
        Assert.Equal(Verdict.Inconclusive, width.Verdict);
        // Four compared levels (two widths in each of two inits) with 2 of 3 trials each.
        Assert.Equal(4, width.MissingTrials);
        Assert.Contains("needs 4 more completed trial(s)", width.Detail);
        Assert.Equal(Verdict.Inconclusive, VerdictOf(group, Claims.InitRobust).Verdict);
    }

    [Fact]
    public void One_trial_per_level_is_inconclusive_not_holds()
    {
        var sweep = new SyntheticSweep(4).Add(1, ["kaiming-uniform"], TwoWidths, Same, widthSd: 0, errorSd: 0);

        var group = Assert.Single(Analyze(sweep).Groups);

        Assert.All(group.Verdicts, v => Assert.Equal(Verdict.Inconclusive, v.Verdict));
        Assert.Null(group.Layers[0].FinalWidth.ByWidth[0].Summary.Lower);
        Assert.Equal(4, VerdictOf(group, Claims.WidthRobust).MissingTrials);
        Assert.Contains("two or more inits", VerdictOf(group, Claims.InitRobust).Detail);
    }

    [Fact]
    public void Width_robustness_is_judged_over_starts_at_or_above_min_width()
    {
        // Width 0.5 starts fc2 at 50 units, below where it would end: it ends smaller, and is not judged.
        var sweep = new SyntheticSweep(5).Add(6, ["kaiming-uniform"], ["0.5", "1", "2"], (init, width) => (width == "0.5" ? 40 : 50, width == "0.5" ? 45 : 88, 0.015));

        var group = Assert.Single(Analyze(sweep).Groups);

        var width = VerdictOf(group, Claims.WidthRobust);
        Assert.Equal(Verdict.Holds, width.Verdict);
        Assert.DoesNotContain(width.Comparisons, c => c.LevelA == "0.5" || c.LevelB == "0.5");
        var strict = SweepAnalysis.Analyze(SyntheticSweep.Spec(verdicts: new VerdictSpec { MinWidth = 0.5 }), "s", sweep.Results.Count, sweep.Results);
        Assert.Equal(Verdict.Fails, VerdictOf(strict.Groups[0], Claims.WidthRobust).Verdict);
    }

    [Fact]
    public void Collapses_count_against_robustness()
    {
        var sweep = new SyntheticSweep(6).Add(6, TwoInits, TwoWidths, Same);
        foreach (var (seed, init) in new[] { (7, "kaiming-uniform"), (8, "kaiming-uniform"), (7, "orthogonal"), (8, "orthogonal"), (9, "orthogonal") })
        {
            sweep.Fail(seed, init, "2", "collapsed");
        }

        var group = Assert.Single(Analyze(sweep).Groups);

        var failures = group.MethodFailures.Single(f => f.Reason == "collapsed or diverged");
        Assert.Equal((5, 29), (failures.Count, failures.Trials));
        Assert.True(failures.Lower > 0.05);
        var width = VerdictOf(group, Claims.WidthRobust);
        Assert.Equal(Verdict.Fails, width.Verdict);
        Assert.Contains("5 of 29 trials collapsed or diverged", width.Detail);
        Assert.Equal(Verdict.Fails, VerdictOf(group, Claims.InitRobust).Verdict);
    }

    [Fact]
    public void A_single_collapse_keeps_robustness_from_holding()
    {
        var sweep = new SyntheticSweep(6).Add(6, TwoInits, TwoWidths, Same).Fail(7, "orthogonal", "2", "collapsed");

        var group = Assert.Single(Analyze(sweep).Groups);

        Assert.Equal(Verdict.Inconclusive, VerdictOf(group, Claims.WidthRobust).Verdict);
        Assert.Contains("does not collapse", VerdictOf(group, Claims.WidthRobust).Detail);
    }

    [Fact]
    public void Infrastructure_failures_are_listed_apart_and_excluded()
    {
        var sweep = new SyntheticSweep(7).Add(6, TwoInits, TwoWidths, Same)
            .Fail(7, "orthogonal", "2", "lost").Fail(8, "orthogonal", "2", "cancelled", state: TrialState.Cancelled).Fail(9, "orthogonal", "1", "error");

        var report = Analyze(sweep);

        var group = Assert.Single(report.Groups);
        Assert.Equal(new Dictionary<string, int> { ["lost"] = 1, ["cancelled"] = 1, ["error"] = 1 }, group.ExcludedFailures);
        Assert.Equal(0, group.MethodFailures.Single(f => f.Reason == "collapsed or diverged").Count);
        Assert.Equal(Verdict.Holds, VerdictOf(group, Claims.WidthRobust).Verdict);
        Assert.Equal(1, report.CancelledTrials);
        Assert.False(report.Provisional);
    }

    [Fact]
    public void A_partial_sweep_is_provisional()
    {
        var sweep = new SyntheticSweep(8).Add(6, TwoInits, TwoWidths, Same);

        var report = Analyze(sweep, total: sweep.Results.Count + 4);

        Assert.True(report.Provisional);
        Assert.Equal(4, report.UnfinishedTrials);
        Assert.All(report.Groups.SelectMany(g => g.Verdicts), v => Assert.True(v.Provisional));
    }

    [Fact]
    public void Deterministic_uses_the_strict_count_and_one_undecided_trial_fails_it()
    {
        var sweep = new SyntheticSweep(9).Add(4, TwoInits, ["1"], Same, undecided: seed => seed == 3 ? 2 : 0);

        var verdict = VerdictOf(Assert.Single(Analyze(sweep).Groups), Claims.Deterministic);

        Assert.Equal(Verdict.Fails, verdict.Verdict);
        Assert.Equal(2, verdict.Measured);
        Assert.Contains("tolerant", verdict.Detail);
    }

    [Fact]
    public void Accuracy_is_judged_against_the_spec_or_the_known_dataset_and_only_reported_otherwise()
    {
        var sweep = new SyntheticSweep(10).Add(6, TwoInits, ["1"], (_, _) => (50, 88, 0.025));

        var mnist = VerdictOf(Analyze(sweep).Groups[0], Claims.Accurate);
        var fashion = VerdictOf(Analyze(sweep, SyntheticSweep.Spec("/data/fashion-mnist")).Groups[0], Claims.Accurate);
        var set = VerdictOf(Analyze(sweep, SyntheticSweep.Spec("/data/fashion-mnist", new VerdictSpec { MaxTestError = 0.10 })).Groups[0], Claims.Accurate);

        Assert.Equal((Verdict.Fails, 0.018), (mnist.Verdict, mnist.Threshold));
        Assert.Equal(Verdict.Inconclusive, fashion.Verdict);
        Assert.Null(fashion.Threshold);
        Assert.Contains("not judged", fashion.Detail);
        Assert.Contains("of the weights", fashion.Detail);
        Assert.Equal((Verdict.Holds, 0.10), (set.Verdict, set.Threshold));
    }

    [Fact]
    public void A_matched_control_with_a_clear_difference_is_found()
    {
        var sweep = new SyntheticSweep(11)
            .Add(3, TwoInits, TwoWidths, Same)
            .Add(3, TwoInits, TwoWidths, (_, _) => (70, 92, 0.016), prior: "fixed:0.5", undecided: seed => 18 + seed);

        var comparison = Assert.Single(Analyze(sweep).Comparisons);

        Assert.Equal(12, comparison.Pairs);
        var strict = comparison.Differences.Single(d => d.Metric == "strict undecided gates");
        Assert.True(strict.Detected);
        Assert.Equal(-20, strict.Difference.Mean, 9);
        Assert.True(strict.Difference.Upper < 0);
        Assert.StartsWith("strict undecided gates: the hyper-prior leaves fewer undecided gates", strict.Sentence);
        Assert.Contains("0 vs 20, difference -20 [", strict.Sentence);
        // 12 pairs all of one sign: exact p = 2 / 4096; the strict count is primary, so unadjusted.
        Assert.Equal(2.0 / 4096, strict.PValueAdjusted, 12);
        Assert.EndsWith("p < 0.001, 12 pairs.", strict.Sentence);
        // fc1 is secondary: Holm over the four secondary quantities, all of one sign, 4 x 2 / 4096.
        Assert.Equal(4 * 2.0 / 4096, comparison.Differences.Single(d => d.Metric == "fc1 final width").PValueAdjusted, 12);
        Assert.True(comparison.Differences.Single(d => d.Metric == "fc1 final width").Detected);
    }

    [Fact]
    public void A_matched_control_without_a_difference_is_not_found()
    {
        var sweep = new SyntheticSweep(12)
            .Add(3, TwoInits, TwoWidths, Same)
            .Add(3, TwoInits, TwoWidths, Same, prior: "fixed:0.5");

        var comparison = Assert.Single(Analyze(sweep).Comparisons);

        Assert.All(comparison.Differences, d => Assert.False(d.Detected));
        var fc1 = comparison.Differences.Single(d => d.Metric == "fc1 final width");
        Assert.InRange(0, fc1.Difference.Lower!.Value, fc1.Difference.Upper!.Value);
        Assert.StartsWith("fc1 final width: no difference detected with 12 pairs", fc1.Sentence);
    }

    [Fact]
    public void Unmatched_control_trials_are_counted_and_left_out()
    {
        var sweep = new SyntheticSweep(13)
            .Add(3, TwoInits, TwoWidths, Same)
            .Add(3, ["kaiming-uniform"], ["1"], Same, prior: "fixed:0.5")
            .Add(1, ["kaiming-uniform"], ["4"], Same, prior: "fixed:0.5");

        var comparison = Assert.Single(Analyze(sweep).Comparisons);

        Assert.Equal((3, 9, 1), (comparison.Pairs, comparison.UnpairedMethodTrials, comparison.UnpairedControlTrials));
        Assert.All(comparison.Differences, d => Assert.False(d.Detected));
    }

    [Fact]
    public void Ninety_five_percent_intervals_cover_the_true_mean_about_95_percent_of_the_time()
    {
        const double trueError = 0.02;
        var covered = 0;
        for (var s = 0; s < 1000; s++)
        {
            var sweep = new SyntheticSweep(1000 + s).Add(5, ["kaiming-uniform"], ["1"], (_, _) => (50, 88, trueError), errorSd: 0.002);
            var error = Assert.Single(Analyze(sweep).Groups).TestError!.Overall;
            if (error.Lower <= trueError && trueError <= error.Upper)
            {
                covered++;
            }
        }
        Assert.InRange(covered, 930, 970);
    }

    [Fact]
    public void A_factor_with_a_real_effect_explains_most_of_the_variance()
    {
        var sweep = new SyntheticSweep(14).Add(4, TwoInits, TwoWidths, (init, _) => (init == "orthogonal" ? 60 : 50, 88, 0.015));

        var group = Assert.Single(Analyze(sweep).Groups);

        var init = group.Effects.Single(e => e.Metric == "fc1 final width" && e.Factor == "init");
        Assert.True(init.Share > 0.8);
        Assert.True(init.PValue < 0.001);
        Assert.InRange(init.Share, init.ShareLower, init.ShareUpper);
        Assert.Equal((2, 12), (init.DegreesOfFreedomFactor, init.DegreesOfFreedomNoise));
        var width = group.Effects.Single(e => e.Metric == "fc1 final width" && e.Factor == "width");
        Assert.True(width.Share < init.Share);
    }

    [Fact]
    public void Validation_error_is_reported_beside_test_error_and_the_test_error_decides()
    {
        var sweep = new SyntheticSweep(15).Add(4, TwoInits, ["1"], (_, _) => (50, 88, 0.015));
        var results = sweep.Results.Select((r, i) => r with { ValidationError = i < 6 ? 0.03 : null }).ToArray();

        var group = Assert.Single(SweepAnalysis.Analyze(SyntheticSweep.Spec(), "s", results.Length, results).Groups);

        Assert.Equal(6, group.ValidationError!.Overall.Count);
        Assert.Equal(0.03, group.ValidationError.Overall.Mean, 12);
        var accurate = VerdictOf(group, Claims.Accurate);
        // Test error 1.5% is below 1.8%; the (worse) validation error is shown, not judged.
        Assert.Equal(Verdict.Holds, accurate.Verdict);
        Assert.Contains("validation error 3.00% [3.00%, 3.00%], n = 6", accurate.Detail);
        Assert.Null(Assert.Single(Analyze(sweep).Groups).ValidationError);
    }
}
