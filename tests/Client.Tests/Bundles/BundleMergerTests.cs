using System.Text.Json;
using Sweep.Client.Bundles;
using Sweep.Client.Exports;
using Sweep.Client.Output;
using Sweep.Client.Tests.TestData;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;
using Xunit;

namespace Sweep.Client.Tests.Bundles;

public class BundleMergerTests
{
    private static readonly SweepSpec Whole = GeneratedBundles.Spec(GeneratedBundles.WholeGrids);

    [Fact]
    public void Merge_of_two_parts_split_along_seeds_equals_the_whole_sweep()
    {
        var whole = GeneratedBundles.Export(Whole, "whole-1");
        var first = GeneratedBundles.Export(GeneratedBundles.Spec(GeneratedBundles.WholeGrids.Replace("seed: [1, 2, 3]", "seed: [1, 2]")), "part-1");
        var second = GeneratedBundles.Export(GeneratedBundles.Spec(GeneratedBundles.WholeGrids.Replace("seed: [1, 2, 3]", "seed: [3]")), "part-2");

        var merged = BundleMerger.Merge([GeneratedBundles.Bundle(first, "a.json"), GeneratedBundles.Bundle(second, "b.json")]);

        // The parts number their trials 0..11 and 0..5; merged, each trial is at its index in the whole design.
        Assert.Equal(12, first.Results.Count);
        Assert.Equal(6, second.Results.Count);
        AssertSameSweep(whole, merged.Export);
        Assert.Equal(SweepSpecValidator.CanonicalText(Whole), SweepSpecValidator.CanonicalText(merged.Export.Spec!));
        Assert.Equal(SweepState.Completed, merged.Export.State);
        Assert.Equal(18, merged.Export.Counts.Completed);
        Assert.Equal("part-1 + part-2", merged.Export.SweepId);
        Assert.Empty(merged.Notices);
    }

    [Fact]
    public void Merge_of_an_interrupted_sweep_and_its_only_missing_rerun_equals_the_whole_sweep()
    {
        var whole = GeneratedBundles.Export(Whole, "whole-1");
        // Interrupted after 7 trials: the rest were cancelled or never reported.
        var interrupted = GeneratedBundles.Export(Whole, "first-1", t => t.Index < 10, t => t.Index < 7 ? TrialState.Completed : TrialState.Cancelled);
        var plan = MissingTrials.Plan(SweepSpecValidator.Check(Whole), "spec.yaml", [GeneratedBundles.Bundle(interrupted, "first.json")]);
        var rerun = GeneratedBundles.Export(plan.Spec, "rerun-1");

        var merged = BundleMerger.Merge([GeneratedBundles.Bundle(interrupted, "first.json"), GeneratedBundles.Bundle(rerun, "rerun.json")]);

        Assert.Equal(11, rerun.Results.Count);
        AssertSameSweep(whole, merged.Export);
        // The 3 cancelled trials of the first run were run again: each clash is reported, the completed result used.
        Assert.Equal(3, merged.Notices.Count);
        Assert.All(merged.Notices, n => Assert.Contains("the completed result of rerun.json is used", n));
    }

    [Fact]
    public void A_part_exported_while_its_sweep_ran_and_a_rerun_of_the_rest_make_a_completed_set()
    {
        // Exported while running: 7 trials done, the others still to come; then the missing ones ran in another sweep.
        var running = GeneratedBundles.Export(Whole, "first-1", t => t.Index < 7) with { State = SweepState.Running };
        var plan = MissingTrials.Plan(SweepSpecValidator.Check(Whole), "spec.yaml", [GeneratedBundles.Bundle(running, "first.json")]);
        var rerun = GeneratedBundles.Export(plan.Spec, "rerun-1");

        var merged = BundleMerger.Merge([GeneratedBundles.Bundle(running, "first.json"), GeneratedBundles.Bundle(rerun, "rerun.json")]);

        Assert.Equal(SweepState.Completed, merged.Export.State);
        Assert.Equal(18, merged.Export.Counts.Completed);
        var alone = BundleMerger.Merge([GeneratedBundles.Bundle(running, "first.json")]);
        Assert.Equal(SweepState.Running, alone.Export.State);
    }

    [Fact]
    public void A_part_whose_grid_contains_the_others_gives_the_larger_grid_in_its_own_order()
    {
        var small = GeneratedBundles.Export(GeneratedBundles.Spec(GeneratedBundles.WholeGrids.Replace("init: [kaiming-uniform, orthogonal, normal-0.1], seed: [1, 2, 3]", "init: [orthogonal], seed: [2]")), "small-1");
        var rest = GeneratedBundles.Export(Whole, "rest-1", t => !(t.Setting("init") == "orthogonal" && t.Setting("seed") == "2"));

        var merged = BundleMerger.Merge([GeneratedBundles.Bundle(small, "small.json"), GeneratedBundles.Bundle(rest, "rest.json")]);

        AssertSameSweep(GeneratedBundles.Export(Whole, "whole-1"), merged.Export);
    }

    [Fact]
    public void A_bundle_alone_gets_its_report_recomputed_and_its_missing_trials_counted()
    {
        var part = GeneratedBundles.Export(Whole, "part-1", t => GeneratedBundles.Seed(t) != "3");
        var stale = part with { Report = part.Report with { Groups = [] } };

        var merged = BundleMerger.Merge([GeneratedBundles.Bundle(stale, "part.json")]);

        Assert.Equal(Json(part.Report.Groups), Json(merged.Export.Report.Groups));
        Assert.Equal(18, merged.Export.Report.TotalTrials);
        Assert.Equal(6, merged.Export.Counts.Pending);
        Assert.Equal(SweepState.Cancelled, merged.Export.State);
        Assert.Contains(merged.Notices, n => n.Contains("12 of the design's 18 trials; 6 have no result", StringComparison.Ordinal));
    }

    [Fact]
    public void A_trial_completed_in_two_bundles_is_an_error_naming_both_files_and_the_trial()
    {
        var first = GeneratedBundles.Export(GeneratedBundles.Spec(GeneratedBundles.WholeGrids.Replace("seed: [1, 2, 3]", "seed: [1, 2]")), "part-1");
        var second = GeneratedBundles.Export(GeneratedBundles.Spec(GeneratedBundles.WholeGrids.Replace("seed: [1, 2, 3]", "seed: [2, 3]")), "part-2");

        var error = Assert.Throws<BundleException>(() => BundleMerger.Merge([GeneratedBundles.Bundle(first, "a.json"), GeneratedBundles.Bundle(second, "b.json")]));

        Assert.Contains("a.json (trial 1 of sweep part-1, completed)", error.Message);
        Assert.Contains("b.json (trial 0 of sweep part-2, completed)", error.Message);
        Assert.Contains("init=kaiming-uniform", error.Message);
        Assert.Contains("seed=2", error.Message);
        Assert.Contains("disjoint", error.Message);
    }

    [Fact]
    public void The_same_bundle_given_twice_overlaps()
    {
        var part = GeneratedBundles.Export(Whole, "part-1");

        var error = Assert.Throws<BundleException>(() => BundleMerger.Merge([GeneratedBundles.Bundle(part, "a.json"), GeneratedBundles.Bundle(part, "a-copy.json")]));

        Assert.Contains("completed in both", error.Message);
    }

    [Theory]
    [InlineData("other-design", 3, "name: 'bundle-design' in a.json, 'other-design' in b.json")]
    [InlineData("bundle-design", 5, "epochs: '3' in a.json, '5' in b.json")]
    public void Bundles_of_different_specs_are_an_error_naming_the_field_and_the_files(string name, int epochs, string expected)
    {
        var first = GeneratedBundles.Export(GeneratedBundles.Spec(GeneratedBundles.WholeGrids.Replace("seed: [1, 2, 3]", "seed: [1, 2]")), "part-1");
        var second = GeneratedBundles.Export(GeneratedBundles.Spec(GeneratedBundles.WholeGrids.Replace("seed: [1, 2, 3]", "seed: [3]"), name, epochs), "part-2");

        var error = Assert.Throws<BundleException>(() => BundleMerger.Merge([GeneratedBundles.Bundle(first, "a.json"), GeneratedBundles.Bundle(second, "b.json")]));

        Assert.Contains("b.json and a.json are not parts of one design", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Specs_that_spell_the_same_trials_differently_are_parts_of_one_design()
    {
        // Sweeps on MNIST hold out 10,000 validation images unless the spec says otherwise: saying so changes no trial.
        var first = GeneratedBundles.Export(GeneratedBundles.Spec(GeneratedBundles.WholeGrids.Replace("seed: [1, 2, 3]", "seed: [1, 2]")), "part-1");
        var second = GeneratedBundles.Export(GeneratedBundles.Spec(GeneratedBundles.WholeGrids.Replace("seed: [1, 2, 3]", "seed: [3]"), options: "train-limit: 1000, validation: 10000"), "part-2");
        var other = GeneratedBundles.Export(GeneratedBundles.Spec(GeneratedBundles.WholeGrids.Replace("seed: [1, 2, 3]", "seed: [3]"), options: "train-limit: 1000, validation: 5000"), "part-3");

        var merged = BundleMerger.Merge([GeneratedBundles.Bundle(first, "a.json"), GeneratedBundles.Bundle(second, "b.json")]);
        var error = Assert.Throws<BundleException>(() => BundleMerger.Merge([GeneratedBundles.Bundle(first, "a.json"), GeneratedBundles.Bundle(other, "c.json")]));

        AssertSameSweep(GeneratedBundles.Export(Whole, "whole-1"), merged.Export);
        Assert.Contains("validation: '10000' in a.json, '5000' in c.json", error.Message);
    }

    [Fact]
    public void Parts_of_a_grid_split_along_two_factors_are_an_error()
    {
        var first = GeneratedBundles.Export(GeneratedBundles.Spec(GeneratedBundles.WholeGrids.Replace("init: [kaiming-uniform, orthogonal, normal-0.1], seed: [1, 2, 3]", "init: [kaiming-uniform], seed: [1]")), "part-1");
        var second = GeneratedBundles.Export(GeneratedBundles.Spec(GeneratedBundles.WholeGrids.Replace("init: [kaiming-uniform, orthogonal, normal-0.1], seed: [1, 2, 3]", "init: [orthogonal], seed: [2]")), "part-2");

        var error = Assert.Throws<BundleException>(() => BundleMerger.Merge([GeneratedBundles.Bundle(first, "a.json"), GeneratedBundles.Bundle(second, "b.json")]));

        Assert.Contains("grid 'flattening' differs between a.json and b.json in init", error.Message);
        Assert.Contains("seed ([1] vs [2])", error.Message);
    }

    [Fact]
    public void A_failed_trial_completed_in_another_bundle_uses_the_completed_result()
    {
        var failedOnce = GeneratedBundles.Export(Whole, "first-1", state: t => t.Index == 4 ? TrialState.Failed : TrialState.Completed);
        var rerun = GeneratedBundles.Export(MissingTrials.Plan(SweepSpecValidator.Check(Whole), "spec.yaml", [GeneratedBundles.Bundle(failedOnce, "first.json")]).Spec, "rerun-1");

        var merged = BundleMerger.Merge([GeneratedBundles.Bundle(failedOnce, "first.json"), GeneratedBundles.Bundle(rerun, "rerun.json")]);

        Assert.Single(rerun.Results);
        Assert.Equal(0, merged.Export.Counts.Failed);
        Assert.Equal(18, merged.Export.Report.CompletedTrials);
        var notice = Assert.Single(merged.Notices);
        Assert.Contains("first.json (trial 4 of sweep first-1, failed)", notice);
    }

    [Fact]
    public void Only_missing_puts_the_completed_trials_on_the_skip_list_and_refuses_another_spec()
    {
        var check = SweepSpecValidator.Check(Whole);
        var part = GeneratedBundles.Export(Whole, "part-1", t => GeneratedBundles.Seed(t) == "1");

        var plan = MissingTrials.Plan(check, "spec.yaml", [GeneratedBundles.Bundle(part, "part.json")]);
        var launched = SweepSpecValidator.Check(plan.Spec).ThrowIfInvalid();

        Assert.Equal((18, 6, 12), (plan.DesignTrials, plan.Skipped, plan.ToLaunch));
        Assert.Equal(check.Trials.Where(t => GeneratedBundles.Seed(t) != "1").Select(t => t.Describe()), launched.Select(t => t.Describe()));
        Assert.Equal(Enumerable.Range(0, 12), launched.Select(t => t.Index));

        var other = GeneratedBundles.Export(GeneratedBundles.Spec(GeneratedBundles.WholeGrids, "other-design"), "other-1");
        var error = Assert.Throws<BundleException>(() => MissingTrials.Plan(check, "spec.yaml", [GeneratedBundles.Bundle(other, "other.json")]));
        Assert.Contains("other.json belongs to another spec than spec.yaml", error.Message);
        Assert.Contains("name: 'bundle-design' in spec.yaml, 'other-design' in other.json", error.Message);
    }

    [Fact]
    public void A_result_whose_settings_are_not_a_trial_of_the_spec_is_an_error()
    {
        var part = GeneratedBundles.Export(Whole, "part-1");
        var edited = part with { Results = [.. part.Results.Skip(1), part.Results[0] with { Settings = new Dictionary<string, string>(part.Results[0].Settings) { ["seed"] = "42" } }] };

        var error = Assert.Throws<BundleException>(() => BundleMerger.Merge([GeneratedBundles.Bundle(edited, "a.json")]));

        Assert.Contains("a.json: trial 0 (", error.Message);
        Assert.Contains("seed=42", error.Message);
        Assert.Contains("not a trial of the design", error.Message);
    }

    [Fact]
    public async Task Bundles_round_trip_through_their_files()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"sweep-bundles-{Guid.NewGuid():N}");
        try
        {
            var whole = GeneratedBundles.Export(Whole, "whole-1", state: t => t.Index == 5 ? TrialState.Failed : TrialState.Completed);
            var first = GeneratedBundles.Write(GeneratedBundles.Export(Whole, "part-1", t => t.Index < 9, t => t.Index == 5 ? TrialState.Failed : TrialState.Completed), directory);
            var second = GeneratedBundles.Write(GeneratedBundles.Export(Whole, "part-2", t => t.Index >= 9), directory);

            var merged = await BundleMerger.LoadAndMergeAsync([first, second], CancellationToken.None);

            AssertSameSweep(whole, merged.Export);
            var failed = merged.Export.Results.Single(r => r.State == TrialState.Failed);
            Assert.Equal(0, failed.TestError);
            Assert.Equal(1, merged.Export.Report.FailedTrials);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_file_that_is_not_a_bundle_is_an_error_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-bundle-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{ "name": "x" }""");
        try
        {
            var error = await Assert.ThrowsAsync<BundleException>(() => ResultsBundle.LoadAsync(path, CancellationToken.None));

            Assert.Contains($"bundle {path}: not a results bundle", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Same trials at the same indices with the same results, and the same report (its time of computation and sweep id aside).</summary>
    private static void AssertSameSweep(SweepExport expected, SweepExport actual)
    {
        Assert.Equal(expected.Results.Select(r => (r.Index, r.Grid, TrialSpec.Describe(r.Settings))), actual.Results.Select(r => (r.Index, r.Grid, TrialSpec.Describe(r.Settings))));
        Assert.Equal(Json(expected.Results), Json(actual.Results));
        Assert.Equal(expected.Report.TotalTrials, actual.Report.TotalTrials);
        Assert.Equal(expected.Report.CompletedTrials, actual.Report.CompletedTrials);
        Assert.Equal(expected.Report.FailedTrials, actual.Report.FailedTrials);
        Assert.NotEmpty(actual.Report.Groups);
        Assert.Equal(Json(expected.Report.Groups), Json(actual.Report.Groups));
        Assert.Equal(Json(expected.Report.Criteria), Json(actual.Report.Criteria));
        Assert.Equal(Json(expected.Report.Comparisons), Json(actual.Report.Comparisons));
        Assert.Equal(expected.Report.Provisional, actual.Report.Provisional);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, SweepJson.Options);
}
