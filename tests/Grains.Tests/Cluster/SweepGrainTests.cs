using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Execution;
using Sweep.Grains.Sweeps;
using Sweep.Grains.Trials;
using Sweep.Options;
using Sweep.Pruning.Training;
using Sweep.Tests.Shared;

namespace Sweep.Grains.Tests.Cluster;

[Collection(SweepClusterCollection.Name)]
public sealed class SweepGrainTests(SweepClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string NewId(string name) => SweepIds.New(name);

    [Fact]
    public async Task Launch_runs_every_trial_and_status_results_and_report_agree()
    {
        var id = NewId("basic");
        var sweep = fixture.Client.GetGrain<ISweepGrain>(id);

        var launched = await sweep.Launch(SweepTestCluster.Spec("basic", "{ seed: [1, 2, 3], width: [1, 2] }"));
        Assert.Equal(SweepState.Running, launched.State);
        Assert.Equal(6, launched.Counts.Total);
        Assert.Equal(4, launched.ClusterSlots);

        var status = await SweepTestCluster.WaitUntilFinishedAsync(sweep, Timeout);
        Assert.Equal(SweepState.Completed, status.State);
        Assert.Equal(6, status.Counts.Completed);
        Assert.Equal(18, status.EpochsDone);

        var results = await sweep.GetResults();
        Assert.Equal(Enumerable.Range(0, 6), results.Select(r => r.Index));
        Assert.All(results, r =>
        {
            Assert.Equal(TrialState.Completed, r.State);
            Assert.Equal(3, r.Epochs.Count);
            Assert.Equal(1, r.Attempts);
            Assert.Empty(r.ResumedFromEpochs);
            Assert.False(r.Settings.ContainsKey("threads"));
        });
        // Trials ran on both silos.
        Assert.Equal(2, results.SelectMany(r => r.Silos).Distinct().Count());

        var report = await sweep.GetReport();
        var group = Assert.Single(report.Groups);
        Assert.Equal(6, group.CompletedTrials);
        Assert.Equal(["1", "2"], group.Widths);
        Assert.Equal(Verdict.Holds, group.Verdicts.Single(v => v.Claim == Claims.WidthRobust).Verdict);
        Assert.Equal(results.Average(r => r.FinalWidths[0]), group.Layers[0].FinalWidth.Overall.Mean, 9);

        var listed = await fixture.Client.GetGrain<ISweepRegistryGrain>(ISweepRegistryGrain.Key).List();
        var line = Assert.Single(listed, s => s.SweepId == id);
        Assert.Equal(SweepState.Completed, line.State);
        Assert.Equal(6, line.Completed);
    }

    [Fact]
    public async Task A_spec_without_epochs_reports_the_epochs_the_trainer_runs()
    {
        var check = SweepSpecParser.Parse("name: no-epochs\narchitecture: lenet300-100\ndataset: mnist\ngrids:\n  g: { seed: [1, 2] }\n",
            new SweepSpecRules { CheckDatasetDirectory = false });
        var trial = check.Trials[0];
        Assert.False(trial.Settings.ContainsKey("epochs"));
        var trained = EpochsTrainedFor(trial.Settings);

        // The runner's progress and the coordinator's expansion, ETA and progress total count the same epochs.
        Assert.Equal(trained, new TrialWork(new TrialKey("no-epochs", 0), trial.Dataset, trial.Settings).Epochs);
        var sweep = fixture.Client.GetGrain<ISweepGrain>(NewId("no-epochs"));
        var launched = await sweep.Launch(check.Spec);
        Assert.Equal(2L * trained, launched.EpochsTotal);
        await sweep.Cancel();
    }

    /// <summary>Trains the trial as the silo would, on a few generated images (no validation split, narrow layers, gates held), and counts its epochs.</summary>
    private static int EpochsTrainedFor(IReadOnlyDictionary<string, string> settings)
    {
        var directory = IdxFiles.Write(Path.Combine(Path.GetTempPath(), $"sweep-no-epochs-{Guid.NewGuid():N}"), train: 20, test: 5);
        try
        {
            var small = new Dictionary<string, string>(settings) { ["validation"] = "0", ["width"] = "0.02", ["sigma1"] = "1", ["lr-theta"] = "0" };
            var data = Sweep.Pruning.Data.DatasetCache.Get(directory).ToTrainingData();
            return Trainer.Run(TrialOptions.FromSettings(small), data).Epochs.Count;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Result_delivery_is_idempotent_by_trial_index()
    {
        var sweep = fixture.Client.GetGrain<ISweepGrain>(NewId("idempotent"));
        await sweep.Launch(SweepTestCluster.Spec("idempotent", "{ seed: [1, 2] }", epochs: 1));
        await SweepTestCluster.WaitUntilFinishedAsync(sweep, Timeout);
        var before = await sweep.GetResults();

        var coordinator = fixture.Client.GetGrain<ISweepCoordinator>(sweep.GetPrimaryKeyString());
        await coordinator.DeliverResult(before[0] with { TestError = 0.99 });
        await coordinator.DeliverResult(before[1] with { State = TrialState.Failed, FailureReason = "late" });

        var after = await sweep.GetResults();
        Assert.Equal(2, after.Count);
        Assert.Equal(before[0].TestError, after[0].TestError);
        Assert.Equal(TrialState.Completed, after[1].State);
        await Assert.ThrowsAsync<ArgumentException>(() => coordinator.DeliverResult(before[0] with { Index = 7 }));
    }

    [Fact]
    public async Task An_invalid_spec_is_rejected_and_nothing_is_persisted()
    {
        var id = NewId("invalid");
        var sweep = fixture.Client.GetGrain<ISweepGrain>(id);
        var spec = SweepTestCluster.Spec("invalid", "{ seed: [1] }");
        var bad = spec with { Grids = [new SweepGrid { Name = "g", Factors = [new SweepFactor { Name = "init", Values = ["nope"] }] }] };

        var error = await Assert.ThrowsAsync<SweepSpecException>(() => sweep.Launch(bad));

        Assert.Contains("grids[0].init[0]: unknown init 'nope'", error.Message, StringComparison.Ordinal);
        Assert.Equal(SweepState.NotLaunched, (await sweep.GetStatus()).State);
        Assert.Null(await sweep.GetSpec());
        Assert.DoesNotContain(await fixture.Client.GetGrain<ISweepRegistryGrain>(ISweepRegistryGrain.Key).List(), s => s.SweepId == id);
        // The same id can still be launched with a valid spec.
        Assert.Equal(SweepState.Running, (await sweep.Launch(spec)).State);
    }

    [Fact]
    public async Task Relaunching_the_same_spec_is_a_no_op_and_a_different_one_is_refused()
    {
        var sweep = fixture.Client.GetGrain<ISweepGrain>(NewId("relaunch"));
        var spec = SweepTestCluster.Spec("relaunch", "{ seed: [1, 2] }");
        await sweep.Launch(spec);

        var again = await sweep.Launch(spec);
        Assert.Equal(2, again.Counts.Total);
        await Assert.ThrowsAsync<SweepSpecException>(() => sweep.Launch(SweepTestCluster.Spec("relaunch", "{ seed: [3] }")));
        await SweepTestCluster.WaitUntilFinishedAsync(sweep, Timeout);
        Assert.Equal(2, (await sweep.GetResults()).Count);
    }

    [Fact]
    public async Task Deterministic_failures_are_not_retried_and_transient_ones_are()
    {
        var id = NewId("failures");
        var script = new TrialScript { DivergingSeeds = ["13"], TransientSeeds = ["7"] };
        TestTrialExecutor.Scripts[id] = script;
        var sweep = fixture.Client.GetGrain<ISweepGrain>(id);

        await sweep.Launch(SweepTestCluster.Spec("failures", "{ seed: [1, 7, 13] }"));
        var status = await SweepTestCluster.WaitUntilFinishedAsync(sweep, Timeout);

        Assert.Equal(SweepState.Completed, status.State);
        Assert.Equal(2, status.Counts.Completed);
        Assert.Equal(1, status.Counts.Failed);
        var results = await sweep.GetResults();
        var diverged = results.Single(r => r.Setting("seed") == "13");
        Assert.Equal(TrialState.Failed, diverged.State);
        Assert.Equal("diverged", diverged.FailureReason);
        Assert.Single(script.Runs, r => r.Trial.Index == diverged.Index);
        var transient = results.Single(r => r.Setting("seed") == "7");
        Assert.Equal(TrialState.Completed, transient.State);
        Assert.Equal(2, transient.Attempts);
        Assert.Equal(1, status.Trials.Single(t => t.Spec.Index == transient.Index).Restarts);
        Assert.Equal(0, status.Trials.Single(t => t.Spec.Index == diverged.Index).Restarts);
        Assert.Equal([1], transient.ResumedFromEpochs);
        Assert.Contains(script.Runs, r => r.Trial.Index == transient.Index && r.FromEpoch == 1);
        Assert.All(script.Runs, r => Assert.StartsWith("sweep trial", r.Thread, StringComparison.Ordinal));
        Assert.Equal(1, (await sweep.GetReport()).Groups.Single().FailureReasons["diverged"]);
    }

    [Fact]
    public async Task A_trial_whose_start_call_was_lost_is_started_by_the_watchdog()
    {
        var id = NewId("lost-start");
        var script = new TrialScript { LoseFirstStartOf = [1] };
        TestTrialExecutor.Scripts[id] = script;
        var sweep = fixture.Client.GetGrain<ISweepGrain>(id);

        await sweep.Launch(SweepTestCluster.Spec("lost-start", "{ seed: [1, 2, 3] }"));
        var status = await SweepTestCluster.WaitUntilFinishedAsync(sweep, Timeout);

        Assert.True(script.StartsLost.ContainsKey(1), "the filter did not lose the start call");
        Assert.Equal(SweepState.Completed, status.State);
        Assert.Equal(3, status.Counts.Completed);
        var lost = (await sweep.GetResults()).Single(r => r.Index == 1);
        Assert.Equal(1, lost.Attempts);
        Assert.Single(script.Runs, r => r.Trial.Index == 1);
    }

    [Fact]
    public async Task Cancel_stops_running_trials_mid_epoch_and_keeps_finished_results()
    {
        var id = NewId("cancel");
        TestTrialExecutor.Scripts[id] = new TrialScript { EpochDuration = TimeSpan.FromSeconds(30) };
        var sweep = fixture.Client.GetGrain<ISweepGrain>(id);
        await sweep.Launch(SweepTestCluster.Spec("cancel", "{ seed: [1, 2, 3, 4, 5, 6] }"));
        var deadline = DateTime.UtcNow + Timeout;
        while ((await sweep.GetStatus()).Counts.Running == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await sweep.Cancel();

        var status = await sweep.GetStatus();
        Assert.Equal(SweepState.Cancelled, status.State);
        Assert.Equal(6, status.Counts.Cancelled);
        var trial = fixture.Client.GetGrain<ITrialGrain>(new TrialKey(id, 0).ToString());
        while ((await trial.GetProgress()).State != TrialState.Cancelled && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }
        Assert.Equal(TrialState.Cancelled, (await trial.GetProgress()).State);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "cancellation waited for the 30 s epoch");
        Assert.All(await sweep.GetResults(), r => Assert.Equal("cancelled", r.FailureReason));
    }
}
