using Sweep.Client.Output;
using Sweep.Client.Tests.TestData;
using Sweep.Grains.Abstractions.Reports;
using Xunit;

namespace Sweep.Client.Tests.Reports;

public class RobustnessTableTests
{
    [Fact]
    public void Table_has_a_row_per_group_and_gated_layer_with_intervals_and_failures_on_its_first_row()
    {
        var report = SampleSweep.Create().Report;

        var table = RobustnessTable.Build(report);

        Assert.Equal(4, table.Rows.Count);
        Assert.Equal(new HashSet<int> { 0, 2 }, table.GroupStarts);
        var first = table.Rows[0];
        var group = report.Groups[0];
        Assert.Equal("arch=lenet300-100 prior=fixed:0.5", first[0]);
        Assert.Equal("7 ok, 1 failed", first[1]);
        Assert.Equal("fc1", first[2]);
        Assert.Equal("300-600", first[3]);
        Assert.Equal(Numbers.MeanInterval(group.Layers[0].FinalWidth.Overall), first[4]);
        Assert.Matches(@"^\d+\.\d \[\d+\.\d, \d+\.\d\], n = 7$", first[4]);
        Assert.Equal(Numbers.PercentInterval(group.TestError!.Overall), first[8]);
        Assert.Equal("20.0 / 12.0", first[9]);
        // The diverged trial is a failure of the method: 1 of 8 with its Wilson interval.
        Assert.StartsWith("1 of 8: 12.50% [", first[10]);
        Assert.Equal("", table.Rows[1][8]);
        Assert.StartsWith("0 of 8: 0.00% [0.00%, ", table.Rows[2][10]);
    }

    [Fact]
    public void Verdicts_show_outcomes_with_missing_trials_and_thresholds()
    {
        var verdicts = RobustnessTable.BuildVerdicts(SampleSweep.Create().Report);

        Assert.Equal(["Group", "deterministic", "init-robust", "width-robust", "accurate"], verdicts.Columns);
        // Ablation first: every trial ends with 20 strict undecided gates, one counterexample is enough.
        Assert.Equal("FAILS (20 vs 0)", verdicts.Rows[0][1]);
        Assert.Equal("holds (0 vs 0)", verdicts.Rows[1][1]);
        // Two seeds per cell: each of the four compared levels lacks one trial of the three required.
        Assert.Equal("inconclusive (4 trials missing)", verdicts.Rows[1][3]);
        Assert.StartsWith("FAILS (2.10% vs 1.80%)", verdicts.Rows[1][4]);
        Assert.Contains(verdicts.Notes, n => n.Contains("width-robust inconclusive: needs 4 more completed trial(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_partial_sweep_is_marked_provisional_everywhere()
    {
        var export = SampleSweep.Create();
        var report = Analysis.SweepAnalysis.Analyze(export.Spec, export.SweepId, export.Results.Count + 3, export.Results);

        var verdicts = RobustnessTable.BuildVerdicts(report);

        Assert.StartsWith("PROVISIONAL: 3 of 19 trials have not finished", verdicts.Notes[0]);
        Assert.All(verdicts.Rows, row => Assert.All(row.Skip(1), cell => Assert.EndsWith(", provisional", cell)));
        Assert.StartsWith("PROVISIONAL", RobustnessTable.Build(report).Notes[0]);
    }

    [Fact]
    public void Control_table_shows_paired_differences_and_their_sentences()
    {
        var report = SampleSweep.Create().Report;

        var table = RobustnessTable.BuildControl(report);

        var comparison = Assert.Single(report.Comparisons);
        Assert.Equal(7, comparison.Pairs);
        Assert.Equal("7 (1 method, 0 control unpaired)", table.Rows[0][1]);
        Assert.Equal("strict undecided gates", table.Rows[0][2]);
        Assert.Equal("-20.0 [-20.0, -20.0], n = 7", table.Rows[0][5]);
        // Seven pairs of one sign: exact p = 2 / 128, the primary quantity is not adjusted.
        Assert.Equal("0.016 (0.016)", table.Rows[0][6]);
        Assert.Equal("difference", table.Rows[0][7]);
        Assert.Contains(table.Notes, n => n == "strict undecided gates: the hyper-prior leaves fewer undecided gates (strictly between 0 and 1) than the fixed prior (fixed:0.5): 0 vs 20, difference -20 [-20, -20], p = 0.016, 7 pairs.");
        // The secondary quantities share a Holm family of four: 4 x 2 / 128 at best, never below 0.05 with 7 pairs.
        Assert.Equal("0.016 (0.063)", table.Rows[2][6]);
        Assert.Contains(table.Notes, n => n.StartsWith("fc1 final width: no difference detected with 7 pairs", StringComparison.Ordinal)
                                          && n.Contains("the smallest p-value this test can give is 0.016, 0.063 after Holm", StringComparison.Ordinal));
        Assert.Contains(RobustnessTable.BuildAll(report), t => t.Title == "Effect of each factor");
    }

    [Fact]
    public void Validation_error_is_shown_beside_test_error_when_the_trials_have_it()
    {
        var export = SampleSweep.Create();
        var results = export.Results.Select(r => r.State == Grains.Abstractions.Trials.TrialState.Completed ? r with { ValidationError = r.TestError + 0.001 } : r).ToArray();
        var report = Analysis.SweepAnalysis.Analyze(export.Spec, export.SweepId, results.Length, results);

        var table = RobustnessTable.Build(report);

        Assert.DoesNotContain(RobustnessTable.Build(export.Report).Columns, c => c.StartsWith("Validation", StringComparison.Ordinal));
        Assert.Equal("Validation error (mean [95%])", table.Columns[9]);
        Assert.Equal(Numbers.PercentInterval(report.Groups[0].ValidationError!.Overall), table.Rows[0][9]);
        Assert.Equal("20.0 / 12.0", table.Rows[0][10]);
        Assert.Equal(table.Columns.Count, table.Rows[1].Count);
    }

    [Fact]
    public void Numbers_are_formatted_invariantly()
    {
        var summary = SampleSweep.Summary([0.019, 0.021]);

        Assert.Equal("2.00% ± 0.14%", Numbers.PercentMeanSd(summary));
        Assert.Equal("2.00% (one trial)", Numbers.PercentInterval(SampleSweep.Summary([0.02])));
        Assert.Equal("-", Numbers.MeanInterval(new StatisticSummary()));
        Assert.Equal("266.2k", Numbers.Compact(266_200));
        Assert.Equal("1.20G", Numbers.Compact(1.2e9));
        Assert.Equal("3m05s", Numbers.Duration(TimeSpan.FromSeconds(185)));
    }
}
