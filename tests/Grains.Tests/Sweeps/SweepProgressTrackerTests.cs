using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Sweeps;
using static Sweep.Grains.Tests.Sweeps.SweepRecords;

namespace Sweep.Grains.Tests.Sweeps;

public sealed class SweepProgressTrackerTests
{
    private static readonly DateTime Launched = new(2026, 1, 2, 3, 0, 0, DateTimeKind.Utc);
    private static readonly SiloAddress Here = SiloAt(1001);

    private static SweepGrainState SweepOf(List<TrialRecord> trials) => new() { State = SweepState.Running, LaunchedAt = Launched, Trials = trials };

    private static TrialProgress Progress(int index, int epochsDone, TrialState state = TrialState.Running) => new()
    {
        Key = new TrialKey("s", index),
        State = state,
        Latest = new TrialEpoch { Epoch = epochsDone },
        Silo = Here.ToParsableString(),
    };

    [Fact]
    public void The_eta_applies_the_rate_of_the_epochs_trained_so_far_to_the_epochs_left()
    {
        var trials = Pending(3, epochs: 10);
        trials[0].On(TrialState.Completed, null);
        trials[1].On(TrialState.Running, Here);
        var tracker = new SweepProgressTracker(TimeSpan.FromMinutes(10));
        tracker.Report(trials, Progress(1, epochsDone: 5), Launched.AddSeconds(90));

        var status = tracker.Status("s", SweepOf(trials), clusterSlots: 2, now: Launched.AddSeconds(100));

        // 15 epochs in 100 s, 15 to go (5 of trial 1, 10 of trial 2).
        Assert.Equal((15L, 30L), (status.EpochsDone, status.EpochsTotal));
        Assert.Equal(100.0, status.Eta!.Value.TotalSeconds, 6);
        Assert.Equal(2, status.ClusterSlots);
        Assert.Equal((1, 1, 1), (status.Counts.Completed, status.Counts.Running, status.Counts.Pending));
    }

    [Fact]
    public void There_is_no_eta_before_an_epoch_is_done_nor_after_the_sweep_finished()
    {
        var trials = Pending(2, epochs: 4);
        trials[0].On(TrialState.Running, Here);
        var tracker = new SweepProgressTracker(TimeSpan.FromMinutes(10));

        Assert.Null(tracker.Status("s", SweepOf(trials), 1, Launched.AddSeconds(10)).Eta);
        tracker.Report(trials, Progress(0, epochsDone: 2), Launched.AddSeconds(20));
        Assert.NotNull(tracker.Status("s", SweepOf(trials), 1, Launched.AddSeconds(30)).Eta);
        var finished = SweepOf(trials);
        finished.State = SweepState.Cancelled;
        Assert.Null(tracker.Status("s", finished, 1, Launched.AddSeconds(30)).Eta);
    }

    [Fact]
    public void Progress_of_a_finished_trial_or_one_the_sweep_lacks_is_ignored()
    {
        var trials = Pending(1, epochs: 4);
        trials[0].On(TrialState.Completed, null);
        var tracker = new SweepProgressTracker(TimeSpan.FromMinutes(10));

        tracker.Report(trials, Progress(0, epochsDone: 1), Launched);
        tracker.Report(trials, Progress(5, epochsDone: 1), Launched);

        var status = tracker.Status("s", SweepOf(trials), 1, Launched.AddSeconds(1));
        Assert.Equal(TrialState.Completed, trials[0].State);
        Assert.Null(Assert.Single(status.Trials).Progress);
        Assert.Equal(4, status.EpochsDone);
    }

    [Fact]
    public void A_started_trial_not_heard_of_for_the_stall_timeout_is_stalled_and_a_report_clears_it()
    {
        var trials = Pending(1, epochs: 4);
        trials[0].On(TrialState.Queued, Here);
        trials[0].DispatchedAt = Launched;
        var tracker = new SweepProgressTracker(TimeSpan.FromMinutes(1));

        Assert.False(tracker.Status("s", SweepOf(trials), 1, Launched.AddSeconds(59)).Trials[0].Stalled);
        Assert.True(tracker.Status("s", SweepOf(trials), 1, Launched.AddSeconds(61)).Trials[0].Stalled);
        tracker.Report(trials, Progress(0, epochsDone: 1), Launched.AddSeconds(61));
        Assert.False(tracker.Status("s", SweepOf(trials), 1, Launched.AddSeconds(62)).Trials[0].Stalled);
        Assert.Equal(TrialState.Running, trials[0].State);
    }
}
