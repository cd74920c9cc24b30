using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Trials;
using Sweep.Analysis;

namespace Sweep.Analysis.Tests;

public sealed class RobustnessAnalysisTests
{
    private static TrialResult Result(int index, string seed, string init, string width, int[] final, double error, string prior = "flattening", int undecided = 0) => new()
    {
        Index = index,
        Grid = "g",
        Settings = new Dictionary<string, string> { ["arch"] = "lenet300-100", ["seed"] = seed, ["init"] = init, ["width"] = width, ["prior"] = prior },
        State = TrialState.Completed,
        LayerNames = ["fc1", "fc2"],
        InitialWidths = [(int)(300 * double.Parse(width, System.Globalization.CultureInfo.InvariantCulture)), (int)(100 * double.Parse(width, System.Globalization.CultureInfo.InvariantCulture))],
        FinalWidths = final,
        Parameters = final[0] * 785 + final[1] * (final[0] + 1),
        Flops = 1000,
        TestError = error,
        UndecidedTolerant = undecided,
        Undecided = undecided,
        UndecidedTolerance = 0.05,
    };

    [Fact]
    public void Final_width_statistics_are_mean_sample_sd_and_cv_per_layer()
    {
        TrialResult[] results =
        [
            Result(0, "1", "kaiming-uniform", "1", [50, 88], 0.019),
            Result(1, "2", "kaiming-uniform", "1", [54, 90], 0.020),
            Result(2, "3", "kaiming-uniform", "1", [52, 86], 0.018),
        ];

        var report = RobustnessAnalysis.Build("s", "n", 3, results, new RobustnessThresholds());

        var group = Assert.Single(report.Groups);
        Assert.Equal(3, group.CompletedTrials);
        var fc1 = group.Layers[0].FinalWidth.Overall;
        Assert.Equal(52, fc1.Mean, 9);
        Assert.Equal(2, fc1.StandardDeviation, 9);
        Assert.Equal(2.0 / 52, fc1.CoefficientOfVariation, 9);
        Assert.Equal(50, fc1.Min);
        Assert.Equal(54, fc1.Max);
        Assert.Equal(["1", "2", "3"], group.Layers[0].FinalWidth.BySeed.Select(l => l.Level));
        Assert.Equal(0.019, group.TestError!.Overall.Mean, 9);
        // One init and one width: those claims cannot be tested.
        Assert.Equal(Verdict.NotTested, group.Verdicts.Single(v => v.Claim == Claims.InitRobust).Verdict);
        Assert.Equal(Verdict.NotTested, group.Verdicts.Single(v => v.Claim == Claims.WidthRobust).Verdict);
        Assert.Equal(Verdict.Holds, group.Verdicts.Single(v => v.Claim == Claims.Deterministic).Verdict);
        Assert.Equal(Verdict.Fails, group.Verdicts.Single(v => v.Claim == Claims.Accurate).Verdict);
    }

    [Fact]
    public void Width_robustness_compares_mean_final_widths_across_starting_widths()
    {
        TrialResult[] robust =
        [
            Result(0, "1", "kaiming-uniform", "1", [50, 88], 0.017),
            Result(1, "2", "kaiming-uniform", "1", [52, 90], 0.017),
            Result(2, "1", "kaiming-uniform", "4", [52, 89], 0.016),
            Result(3, "2", "kaiming-uniform", "4", [54, 89], 0.017),
        ];
        var holds = Assert.Single(RobustnessAnalysis.Build("s", "n", 4, robust, new RobustnessThresholds()).Groups);
        // fc1 means: 51 at width 1, 53 at width 4: spread 2 / 52.
        Assert.Equal(2.0 / 52, holds.Layers[0].SpreadAcrossWidths, 9);
        Assert.Equal(Verdict.Holds, holds.Verdicts.Single(v => v.Claim == Claims.WidthRobust).Verdict);
        Assert.Equal(Verdict.Holds, holds.Verdicts.Single(v => v.Claim == Claims.Accurate).Verdict);

        TrialResult[] fragile = [.. robust[..2], Result(2, "1", "kaiming-uniform", "4", [150, 300], 0.017), Result(3, "2", "kaiming-uniform", "4", [160, 310], 0.017)];
        var fails = Assert.Single(RobustnessAnalysis.Build("s", "n", 4, fragile, new RobustnessThresholds()).Groups);
        var verdict = fails.Verdicts.Single(v => v.Claim == Claims.WidthRobust);
        Assert.Equal(Verdict.Fails, verdict.Verdict);
        Assert.Equal(0.10, verdict.Threshold);
    }

    [Fact]
    public void The_ablation_and_undecided_gates_form_their_own_group_and_verdict()
    {
        TrialResult[] results =
        [
            Result(0, "1", "kaiming-uniform", "1", [50, 88], 0.017),
            Result(1, "1", "orthogonal", "1", [51, 88], 0.017),
            Result(2, "1", "kaiming-uniform", "1", [120, 95], 0.017, prior: "fixed:0.5", undecided: 40),
            new TrialResult { Index = 3, Grid = "g", State = TrialState.Failed, FailureReason = "diverged", Settings = new Dictionary<string, string> { ["arch"] = "lenet300-100", ["seed"] = "2", ["prior"] = "fixed:0.5" } },
        ];

        var report = RobustnessAnalysis.Build("s", "n", 4, results, new RobustnessThresholds());

        Assert.Equal(2, report.Groups.Count);
        Assert.Equal(3, report.CompletedTrials);
        Assert.Equal(1, report.FailedTrials);
        var flattening = report.Groups.Single(g => g.Prior == "flattening");
        var ablation = report.Groups.Single(g => g.Prior == "fixed:0.5");
        Assert.Equal(Verdict.Holds, flattening.Verdicts.Single(v => v.Claim == Claims.InitRobust).Verdict);
        Assert.Equal(Verdict.Fails, ablation.Verdicts.Single(v => v.Claim == Claims.Deterministic).Verdict);
        Assert.Equal(40, ablation.UndecidedTolerant!.Overall.Max);
        Assert.Equal(1, ablation.FailureReasons["diverged"]);
        Assert.Equal("arch=lenet300-100 prior=fixed:0.5", ablation.Label);
    }
}
